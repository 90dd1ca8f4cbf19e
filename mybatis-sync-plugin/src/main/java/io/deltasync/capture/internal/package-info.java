/** Implementation details of capture: per-session buffers, parameter recording. Not API. */
package io.deltasync.capture.internal;
