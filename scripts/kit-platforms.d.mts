/** The platforms the offline kit serves (esbuild binaries included), as os-cpu. */
export declare const KIT_PLATFORMS: readonly string[];
