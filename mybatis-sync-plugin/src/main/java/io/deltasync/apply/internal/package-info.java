/** Implementation details of apply: binding recorded parameters, dead-letter rows. Not API. */
package io.deltasync.apply.internal;
