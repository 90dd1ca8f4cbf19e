/** Implementation details of the store: the SQL of the ds_ tables. Not API. */
package io.deltasync.store.internal;
