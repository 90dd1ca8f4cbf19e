/**
 * The fault suite: the system's processes killed and their network (HTTP to the hub, and JMS to an
 * Artemis broker) cut, delayed, reset, duplicated and reordered while they sync, and what every
 * database holds afterwards.
 */
package io.deltasync.e2e.faults;
