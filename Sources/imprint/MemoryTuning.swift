import CImprintCodecs

/// The allocator tuned for analysis: every image needs a few full-size buffers (decoded
/// pixels, luma planes). By default glibc serves each from a fresh `mmap` and unmaps it
/// when freed, so the kernel faults in and zeroes every page again for the next image:
/// measured at 15 to 25 % of ingest CPU time (`clear_page`, page faults, in `perf`).
/// Keeping freed memory in the heap for reuse removes most of that. Peak memory stays
/// bounded: the heap keeps only what the images in flight needed at most.
enum MemoryTuning {
    static func keepLargeBuffersForReuse() {
        _ = imprint_allocator_keep_large_buffers()
    }
}
