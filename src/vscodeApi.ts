// The `vscode` module, imported once for the whole bundle: esbuild turns every
// `import * as vscode from 'vscode'` into a copy of the API object's ~300 properties, 25 copies
// at start-up; esbuild.mjs points those imports here instead, so the copy is made once.
export * from 'vscode';
