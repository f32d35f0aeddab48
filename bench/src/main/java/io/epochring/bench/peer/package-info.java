/**
 * The peer: EpochRing's design on {@code java.util.concurrent}, what a user would write instead of
 * using EpochRing. See {@link io.epochring.bench.peer.BlockingQueueCoordinator}.
 */
package io.epochring.bench.peer;
