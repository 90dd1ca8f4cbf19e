package io.deltasync.ship.support;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** An application that is nothing but a DeltaSync node: data source, node, Camel routes. */
@SpringBootApplication
public class ShipTestApplication {}
