/**
 * What the whole console shares: its {@code deltasync.console.*} settings, its users and their
 * roles, the security rules every request passes, the layout's model, and the {@code deltasync}
 * health indicator and meters for Actuator.
 */
package io.deltasync.console.system;
