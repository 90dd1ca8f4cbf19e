/** The system under test, the browser, and what every journey shares. */
package io.deltasync.e2e.support;
