/**
 * A shop application synced with only default configuration: a PostgreSQL hub and clients on H2 and
 * MariaDB, upper-case table names, mappers with a second-level cache, a seeded random workload of
 * sales, restocks, account edits and orders over HTTP; once settled, every database holds exactly
 * what the shop committed.
 */
package io.deltasync.ship.shop;
