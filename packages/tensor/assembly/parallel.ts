// How the kernels that run on every thread of the pool split their work. Each such kernel takes
// `thread` and `threads` as its last two arguments and computes a contiguous share of its output
// units (column or row panels, image chunks, planes, filter rows, element blocks), so every output
// element is computed by exactly one thread, in the same order as on one thread: results do not
// depend on timing or on the thread count. Work buffers come from the caller as one block per
// thread (`ws + thread·wsBytes`): the pool's threads run instances of this module on one shared
// memory, and only the calling thread may allocate.

/** First unit of `thread`'s share when `total` units are split over `threads` contiguous ranges. */
export function shareStart(total: i32, thread: i32, threads: i32): i32 {
  return <i32>((<i64>total * thread) / threads);
}

/** `bytes` rounded up to a multiple of 16 (v128 alignment of carved work buffers). */
export function align16(bytes: usize): usize {
  return (bytes + 15) & ~(<usize>15);
}

/** The work block of `thread`: `wsBytes` bytes at `ws + thread·wsBytes`. */
export function workOf(ws: usize, wsBytes: usize, thread: i32): usize {
  return ws + <usize>thread * wsBytes;
}
