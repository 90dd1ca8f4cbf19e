/** Gzip, HMAC and other details of shipping; not for use outside DeltaSync. */
package io.deltasync.ship.internal;
