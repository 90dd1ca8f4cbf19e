/** Spring Boot wiring of conflict detection and the {@code Conflicts} API. */
package io.deltasync.conflict.autoconfigure;
