/**
 * A solution handler as it would be saved in its module's `starter/` folder (a learner who got it
 * right): the same code, its imports seen from one folder deeper.
 */
export function asStarter(solution: string, moduleFolder: string): string {
  return solution
    .replaceAll(`'../../${moduleFolder}/shared/`, `'../shared/`)
    .replaceAll(`'../../contracts/`, `'../../../contracts/`);
}
