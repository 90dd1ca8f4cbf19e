/**
 * Spring Boot wiring for capture: the interceptor on every SqlSessionFactory, from {@code
 * deltasync.capture.*}.
 */
package io.deltasync.capture.autoconfigure;
