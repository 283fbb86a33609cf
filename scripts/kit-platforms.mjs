// The platforms the offline kit serves: esbuild (Lambda bundling, the producer's build) is the one
// native package without prebuilt binaries for all of them inside (classic-level, the local
// DynamoDB's store, ships its own). Windows is not among them: the kit's node_modules/.bin holds
// symlinks, which npm on Windows does not use; attendees on Windows use WSL (linux-x64).
export const KIT_PLATFORMS = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64'];
