package io.deltasync.delta;

/** The kind of mutation a delta records. */
public enum Kind {
  INSERT,
  UPDATE,
  DELETE
}
