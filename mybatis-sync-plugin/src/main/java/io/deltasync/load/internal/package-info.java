/** The SQL of {@code ds_load} and the listing of a node's replicated tables; not for users. */
package io.deltasync.load.internal;
