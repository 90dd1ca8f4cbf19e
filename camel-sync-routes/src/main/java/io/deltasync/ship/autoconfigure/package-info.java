/**
 * Spring Boot wiring of shipping and initial load: the deltasync: component, {@code
 * deltasync.ship.*} and {@code deltasync.load.*}.
 */
package io.deltasync.ship.autoconfigure;
