// The package's "main" is its TypeScript source, which does not pass this project's strict
// checks; tests import its built ES module through this declaration instead.
declare module 'isikukood/dist/isikukood.esm.js' {
  export default class Isikukood {
    constructor(code: string | number);
    getControlNumber(code?: string): number;
    validate(): boolean;
  }
}
