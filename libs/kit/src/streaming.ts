import { setFlagsFromString } from 'node:v8';

/**
 * Garbage-collector settings for a process that relays files. Every chunk that passes is a new
 * Buffer whose memory lies outside V8's heap. V8 counts that memory, and when too much of it
 * seems alive it collects the whole heap (40 ms for a service's 40 MB) instead of only the
 * young generation (1 ms). A relay of 2 GiB then spent 4 to 7 s of CPU in about 100 full
 * collections. Two settings keep the collections young:
 *
 * - A young generation of a fixed 8 MiB per half. V8 otherwise starts it small and grows it
 *   only as objects survive, and chunks still in flight got promoted into the old generation.
 *   V8 reads it when it creates the heap, and Node.js refuses it in `NODE_OPTIONS`: it goes on
 *   the `node` command line (deploy/, bench/transfer).
 * - Array buffers swept during each young collection, not later by a helper thread: on a busy
 *   machine the helper runs late, the dead chunks still count, and a full collection follows.
 *   V8 reads this flag at every collection, so {@link tuneForStreaming} sets it at start.
 *
 * bench/transfer, 2 GiB: CPU of the webdav port 5.8–6.8 -> 1.8–3.0 s, of the zenodo port
 * 8.0–9.3 -> 4.2–4.4 s, of the exporter 6.8–8.6 -> 2.1–2.5 s, with the exporter's peak memory
 * 171–182 MB (a 32 MiB young generation did as well for the CPU, but took the exporter to 215).
 */
export const STREAMING_NODE_FLAGS = ['--min-semi-space-size=8', '--max-semi-space-size=8'];

/** The part of the settings above that a running process can still take. */
export function tuneForStreaming(): void {
  setFlagsFromString('--no-concurrent-array-buffer-sweeping');
}
