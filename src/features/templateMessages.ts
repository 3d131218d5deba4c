/**
 * The words for template problems (codes from src/core/template): one place, localised.
 * Tags such as {{#each examples}} are built here and passed as arguments — vscode.l10n.t
 * would not fill a placeholder written inside braces.
 */
import * as vscode from 'vscode';
import { formatInt } from '../core/cost';
import type { TemplateIssue } from '../core/template/types';
import { locale } from './countSummary';

const tag = (inner: string): string => `{{${inner}}}`;
const num = (s: string | undefined): string => formatInt(Number(s ?? 0), locale());

export function issueMessage(issue: TemplateIssue): string {
  const [a = '', b = '', c = ''] = issue.args;
  switch (issue.code) {
    case 'frontMatterUnclosed':
      return vscode.l10n.t('The front matter that starts with --- on line 1 is never closed: add a line with --- after it (or start the file with an empty line if the --- is meant as text).');
    case 'yaml':
      return vscode.l10n.t('The front matter is not valid YAML: {0}', a);
    case 'schema':
      return vscode.l10n.t('Front matter field "{0}": {1}', a, b);
    case 'schemaUnknownKey':
      return b
        ? vscode.l10n.t('Unknown front matter field "{0}". Allowed here: {1}.', a, b)
        : vscode.l10n.t('Unknown front matter field "{0}".', a);
    case 'variableName':
      return vscode.l10n.t('"{0}" cannot be a variable name (every object already has it, or it cannot be written in a template). Choose another name.', a);
    case 'variableNameBrackets':
      return vscode.l10n.t('Write this variable as {0} in the template: its name is not a plain identifier.', tag(`[${a}]`));
    case 'syntax':
      return b
        ? vscode.l10n.t('Handlebars syntax error: unexpected {0}; expected {1}.', a, b)
        : vscode.l10n.t('Handlebars syntax error: unexpected {0}.', a);
    case 'unclosedBlock':
      return vscode.l10n.t('{0} on line {1} is never closed: add {2}.', tag(`#${a}`), b, tag(`/${a}`));
    case 'mismatchedBlock':
      return vscode.l10n.t('{0} does not close {1} (opened on line {2}): close that block with {3} first.', tag(`/${a}`), tag(`#${b}`), c, tag(`/${b}`));
    case 'unknownHelper':
      return vscode.l10n.t('Unknown helper "{0}": templates can only use if, unless, each, with and lookup (no code from the workspace runs).', a);
    case 'helperArity':
      return b === '2'
        ? vscode.l10n.t('"{0}" needs two values, e.g. {1}.', a, tag(`${a} examples 0`))
        : vscode.l10n.t('"{0}" needs exactly one value, e.g. {1}.', a, tag(`#${a} examples`));
    case 'partial':
      return vscode.l10n.t('Partials ({0}) are not supported: a prompt template is a single file.', tag(`> ${a}`));
    case 'decorator':
      return vscode.l10n.t('Decorators ({0}) are not supported in prompt templates.', tag(`* ${a}`));
    case 'dataOutsideEach':
      return vscode.l10n.t('{0} only has a value inside {1} … {2}.', a, tag('#each'), tag('/each'));
    case 'unknownData':
      return vscode.l10n.t('{0} is not a Handlebars data variable (there are @index, @key, @first, @last and @root).', a);
    case 'aboveTop':
      return vscode.l10n.t('"{0}" goes above the top level of the template: remove one "../".', a);
    case 'undeclared':
      return vscode.l10n.t('Variable "{0}" is used but not declared under "variables:" in the front matter.', a);
    case 'unused':
      return vscode.l10n.t('Variable "{0}" is declared but never used in the template.', a);
    case 'structuredAsText':
      return b === 'list'
        ? vscode.l10n.t('"{0}" is a list: {1} prints it as plain text. Loop over it with {2} … {3}.', a, tag(a), tag(`#each ${a}`), tag('/each'))
        : vscode.l10n.t('"{0}" is a map: {1} prints "[object Object]". Use one of its fields, e.g. {2}, or {3} … {4}.', a, tag(a), tag(`${a}.name`), tag(`#with ${a}`), tag('/with'));
    case 'itemField':
      return vscode.l10n.t('The items of "{0}" have no field "{1}" (their fields: {2}). For a top-level variable write {3}.', b, a, c, tag(`@root.${a}`));
    case 'scalarItems':
      return vscode.l10n.t('The items of "{0}" are plain values, not maps, so "{1}" has no value there (use {2} for the item). For a top-level variable write {3}.', b, a, tag('this'), tag(`@root.${a}`));
    case 'reservedField':
      return vscode.l10n.t('"{0}" never has a value in a template: it is a built-in property of every object.', a);
    case 'tooLong':
      return vscode.l10n.t('This template has {0} characters, more than the {1} that are checked and rendered. Split it into smaller templates.', num(a), num(b));
    case 'tooManyTags':
      return vscode.l10n.t('This template has {0} {1} tags, more than the {2} that are checked and rendered. Split it into smaller templates.', num(a), tag('…'), num(b));
    case 'tooDeep':
      return vscode.l10n.t('The template is nested too deeply to be checked or rendered.');
    case 'missingSample':
      return vscode.l10n.t('Variable "{0}" (used on line {1}) has no sample or default value: add "sample:" under variables.{0} in the front matter.', a, b);
    case 'undeclaredValue':
      return vscode.l10n.t('Missing variable "{0}" (used on line {1}): it is not declared in the front matter, so it has no sample value.', a, b);
    case 'missingValue':
      return vscode.l10n.t('Missing variable "{0}" (used on line {1}): no value was given for it.', a, b);
    case 'notAList':
      return c === 'list'
        ? vscode.l10n.t('Variable "{0}" (line {1}) must be a list for {2}.', a, b, tag(`#each ${a}`))
        : vscode.l10n.t('Variable "{0}" (line {1}) must be a map for {2}.', a, b, tag(`#with ${a}`));
    case 'notDefined':
      return vscode.l10n.t('Missing value "{0}" at line {1}, column {2} while rendering (in strict mode a missing name is an error, not an empty string).', a, b, c);
    case 'notAnObject':
      return vscode.l10n.t('"{0}" was looked up on a text value, which has no fields.', a);
    case 'outputTooLarge':
      return vscode.l10n.t('Rendering stopped: the output passed {0} characters. Look for loops over large lists.', num(a));
    case 'timeout':
      return vscode.l10n.t('Rendering stopped after {0} seconds.', a);
    case 'renderFailed':
      return vscode.l10n.t('Rendering failed: {0}', a);
  }
}

export function unknownModelMessage(id: string, fallback: string): string {
  return vscode.l10n.t('Model "{0}" is not in the model catalogue; the rendered prompt is counted for {1} instead. Run Prompt: Select Model to see the ids.', id, fallback);
}

/** `Model "claude-sonnet-4-5": Retired by Anthropic on 2026-11-30. Recommended replacement: …` */
export function retiredModelMessage(id: string, retirement: string): string {
  return vscode.l10n.t('Model "{0}": {1}', id, retirement);
}
