/** Implementation details of the delta package: what a statement's SQL means. Not API. */
package io.deltasync.delta.internal;
