/**
 * How conflicts are found, decided and recorded, and how row images are read and written with each
 * database's own SQL; not for applications to use directly.
 */
package io.deltasync.conflict.internal;
