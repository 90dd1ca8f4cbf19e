/** The client application of the end-to-end tests: a shop on MyBatis with DeltaSync. */
package io.deltasync.e2e.app;
