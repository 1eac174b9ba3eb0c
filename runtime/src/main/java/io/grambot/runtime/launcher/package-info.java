/** Starts the Grambot distribution: resolves its directories and console credentials, then starts Felix. */
package io.grambot.runtime.launcher;
