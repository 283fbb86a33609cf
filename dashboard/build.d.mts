/** Where the bundle goes (git-ignored). */
export declare const dashboardBuildDir: string;
/** Builds the page into `outdir` (default dashboardBuildDir); resolves to `outdir`. */
export declare function buildDashboard(outdir?: string): Promise<string>;
