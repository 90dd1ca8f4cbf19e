/** Spring Boot wiring of shipping: the deltasync: component and {@code deltasync.ship.*}. */
package io.deltasync.ship.autoconfigure;
