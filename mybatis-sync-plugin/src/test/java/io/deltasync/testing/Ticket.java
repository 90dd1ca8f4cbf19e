package io.deltasync.testing;

/** A row of the {@code ticket} table, whose key the database generates. */
public class Ticket {
  public Long id;
  public String title;

  public Ticket() {}

  public Ticket(String title) {
    this.title = title;
  }
}
