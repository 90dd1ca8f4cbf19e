/**
 * Page objects of the console: each page's locators and what an operator does there; the assertions
 * are in the journeys.
 */
package io.deltasync.e2e.pages;
