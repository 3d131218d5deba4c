/**
 * What the template checker and renderer report. Pure data (it crosses the worker boundary):
 * problems carry a code and arguments, and the extension turns them into localised messages
 * (src/features/templateMessages.ts). Positions are 0-based lines and UTF-16 columns of the
 * whole document, front matter included, like `vscode.Position`.
 */

export interface Range {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export type Severity = 'error' | 'warning' | 'info';

/**
 * Problem codes and their `args` (all strings; lines are 1-based):
 * - frontMatterUnclosed []                       `---` on line 1 is never closed
 * - yaml [message]                               the YAML library's message
 * - schema [field, message]                      front matter field that fails the schema
 * - schemaUnknownKey [field, allowed]            unknown key (typo?) and the keys allowed there
 * - variableName [name]                          name that cannot be a variable (prototype names)
 * - variableNameBrackets [name]                  name that must be written {{[name]}}
 * - syntax [found, expected]                     Handlebars syntax error
 * - unclosedBlock [name, openLine]               {{#name}} never closed
 * - mismatchedBlock [closeName, openName, openLine]
 * - unknownHelper [name]                         only if/unless/each/with/lookup exist
 * - helperArity [name, expected]                 {{#if}} without a value etc.
 * - partial [name] / decorator [name]            not supported
 * - dataOutsideEach [name]                       @index etc. outside {{#each}}
 * - unknownData [name]                           @foo is not a data variable
 * - aboveTop [path]                              ../ above the template's top level
 * - undeclared [name]                            used but not declared in the front matter
 * - unused [name]                                declared but never used
 * - structuredAsText [name, 'list' | 'map']      {{examples}} prints a list as text
 * - itemField [field, of, fields]                {{inptu}} inside {{#each examples}}
 * - scalarItems [field, of]                      {{name}} inside {{#each tags}} whose items are text
 * - reservedField [name]                         {{constructor}} etc. never has a value
 * - tooLong [characters, limit] / tooManyTags [tags, limit] / tooDeep []
 * Render problems:
 * - missingSample [name, line] / undeclaredValue [name, line] / missingValue [name, line]
 * - notAList [name, line, 'list' | 'map']        value for {{#each x}} / {{#with x}} of the wrong shape
 * - notDefined [name, line, column]              strict mode: a name without a value while rendering
 * - notAnObject [field]                          {{text.length}} on a text value
 * - outputTooLarge [limit] / timeout [seconds] / renderFailed [message]
 */
export type IssueCode =
  | 'frontMatterUnclosed' | 'yaml' | 'schema' | 'schemaUnknownKey' | 'variableName' | 'variableNameBrackets'
  | 'syntax' | 'unclosedBlock' | 'mismatchedBlock' | 'unknownHelper' | 'helperArity' | 'partial' | 'decorator'
  | 'dataOutsideEach' | 'unknownData' | 'aboveTop' | 'undeclared' | 'unused' | 'structuredAsText' | 'itemField' | 'scalarItems'
  | 'reservedField' | 'tooLong' | 'tooManyTags' | 'tooDeep'
  | 'missingSample' | 'undeclaredValue' | 'missingValue' | 'notAList' | 'notDefined' | 'notAnObject'
  | 'outputTooLarge' | 'timeout' | 'renderFailed';

export interface TemplateIssue {
  code: IssueCode;
  severity: Severity;
  range: Range;
  args: string[];
  /** The variable the problem is about, when there is one. */
  variable?: string;
}

/** A variable declared under `variables:` in the front matter. */
export interface VariableDecl {
  name: string;
  description?: string;
  default?: unknown;
  sample?: unknown;
  hasDefault: boolean;
  hasSample: boolean;
  /** The name's key in the front matter. */
  range: Range;
}

/** How a top-level variable is used: printed, iterated, entered, tested, passed to a helper, or a section. */
export type UseKind = 'value' | 'list' | 'object' | 'condition' | 'argument' | 'section';

export interface VariableUse {
  /** The top-level variable, e.g. `examples` for `{{examples.0.input}}`. */
  name: string;
  /** As written, e.g. `@root.task`, `../task`. */
  path: string;
  kind: UseKind;
  range: Range;
}

/** A variable to fill before rendering, in the order to ask for it. */
export interface TemplateInput {
  name: string;
  declared: boolean;
  kinds: UseKind[];
  /** Where it is first used. */
  firstUse: Range;
  description?: string;
  default?: unknown;
  sample?: unknown;
  hasDefault: boolean;
  hasSample: boolean;
  /** True when the value must be a list or map (entered as JSON). */
  structured: boolean;
}

/** The inside of a {{#each}} / {{#with}} / section block, for completion. */
export interface BlockScope {
  range: Range;
  helper: 'each' | 'with' | 'section';
  /** The top-level variable iterated or entered, when known. */
  of?: string;
  /** Field names of the items (from the samples and defaults), when known. */
  fields: string[];
  /** @index, @first, @last and @key are set inside. */
  data: boolean;
}

export interface TemplateCheck {
  hasFrontMatter: boolean;
  /** Front matter `model`, with the range of its value. */
  model?: { id: string; range: Range };
  variables: VariableDecl[];
  uses: VariableUse[];
  inputs: TemplateInput[];
  scopes: BlockScope[];
  issues: TemplateIssue[];
  /** First document line of the Handlebars body. */
  bodyLine: number;
  stats: { characters: number; lines: number; tags: number; ms: number };
}

export interface Limits {
  /** Templates longer than this are neither checked nor rendered. */
  maxTemplateChars: number;
  /** Templates with more `{{` than this are neither checked nor rendered (Handlebars compiles each into code). */
  maxTags: number;
  /** Rendering stops when the output passes this many characters. */
  maxOutputChars: number;
  /** Rendering stops after this many milliseconds (checked while looping). */
  renderMs: number;
}

export const LIMITS: Limits = {
  maxTemplateChars: 20_000_000,
  maxTags: 50_000,
  maxOutputChars: 10_000_000,
  renderMs: 20_000,
};

export type RenderRequest =
  | { mode: 'samples' }
  | { mode: 'values'; values: Record<string, unknown> };

export type RenderResult =
  | { ok: true; text: string; ms: number; model?: string }
  | {
    ok: false;
    issue: TemplateIssue;
    /** True when the template itself has errors (also shown as diagnostics); false for a problem while filling or rendering. */
    template: boolean;
    /** Number of errors in the template (when `template`). */
    errorCount: number;
  };
