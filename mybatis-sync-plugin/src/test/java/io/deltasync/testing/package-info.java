/** A small note-taking application that the tests run on each node, and helpers around it. */
package io.deltasync.testing;
