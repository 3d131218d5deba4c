/**
 * Every message between the prompt preview's page (media/preview.js) and the extension
 * (src/features/preview/panel.ts), in one place. Both sides validate what they receive with
 * these schemas: the extension with this module, the page with the same module bundled for the
 * browser by esbuild.mjs (media/preview-protocol.js, global `PreviewProtocol`).
 * No `vscode`, no Node: it runs in both.
 */
import * as z from 'zod/mini';
import '../zod';

/** Characters of the rendered prompt sent to the page (the header counts them all; Copy copies them all). */
export const TEXT_LIMIT = 1_000_000;
/** Characters of the rendered prompt cut into tokens for the token view. */
export const TOKEN_VIEW_LIMIT = 500_000;

const text = (max: number) => z.string().check(z.maxLength(max));
const count = z.int().check(z.nonnegative());
const seq = count;
const tokenArray = z.instanceof(Uint32Array).check(z.refine((a) => a.length <= TOKEN_VIEW_LIMIT, { message: `at most ${TOKEN_VIEW_LIMIT} tokens` }));

export const GaugeLevelSchema = z.enum(['green', 'yellow', 'orange', 'red']);

export const HeaderSchema = z.strictObject({
  model: z.strictObject({ id: text(200), name: text(200) }),
  /** Undefined while counting. */
  tokens: z.optional(count),
  tokensText: text(200),
  exact: z.boolean(),
  /** What the tokens are counted with, e.g. `o200k_base`, `tokenizer.json`, `estimate`. */
  tokenizer: text(200),
  characters: text(100),
  inputCost: text(100),
  withOutputCost: text(100),
  withOutputLabel: text(200),
  /** Share of the context window filled by the prompt and the expected output (1 = full). */
  share: z.number().check(z.gte(0)),
  shareText: text(200),
  level: GaugeLevelSchema,
  /** The template's front matter names another model. */
  templateModel: z.optional(z.strictObject({ id: text(200), label: text(300) })),
  /** The vendor has retired the model (`retired`), or announced when it will. */
  retirement: z.optional(z.strictObject({ text: text(500), retired: z.boolean() })),
});
export type Header = z.infer<typeof HeaderSchema>;

export const ProblemSchema = z.strictObject({
  severity: z.enum(['error', 'warning', 'info']),
  message: text(5000),
  /** 1-based line in `file` (the template, or the values file), when known. */
  line: z.optional(z.int().check(z.positive())),
  column: z.optional(z.int().check(z.positive())),
  /** Which file the line is in. */
  file: z.optional(z.enum(['source', 'values'])),
  fileLabel: z.optional(text(500)),
});
export type Problem = z.infer<typeof ProblemSchema>;

export const SourceSchema = z.strictObject({
  uri: text(10_000),
  name: text(1000),
  kind: z.enum(['template', 'document']),
  /** Name of the values file the template is rendered with (else its front matter's samples). */
  values: z.optional(text(1000)),
});

const ModelGroupSchema = z.strictObject({
  provider: text(200),
  models: z.array(z.strictObject({ id: text(200), name: text(200) })).check(z.maxLength(2000)),
});

export const HostToViewSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('init'),
    labels: z.record(z.string().check(z.maxLength(100)), text(2000)),
    lang: text(20),
    tokenView: z.boolean(),
    locked: z.boolean(),
  }),
  z.strictObject({
    type: z.literal('models'),
    current: text(200),
    groups: z.array(ModelGroupSchema).check(z.maxLength(200)),
  }),
  z.strictObject({
    type: z.literal('update'),
    seq,
    /** The update whose render the text shown comes from (an earlier one when `stale`); token views name it. */
    textSeq: seq,
    source: z.optional(SourceSchema),
    /** The rendered prompt (first TEXT_LIMIT characters); absent when it did not change or when it could not be rendered. */
    text: z.optional(text(TEXT_LIMIT)),
    /** Length of the whole rendered prompt. */
    length: count,
    /** The text shown is from an earlier render (the current one failed). */
    stale: z.boolean(),
    /** Nothing to show yet (no prompt, or the first render failed). */
    empty: z.boolean(),
    problems: z.array(ProblemSchema).check(z.maxLength(20)),
    header: z.optional(HeaderSchema),
    locked: z.boolean(),
    busy: z.boolean(),
  }),
  z.discriminatedUnion('state', [
    z.strictObject({
      type: z.literal('tokens'),
      state: z.literal('ready'),
      seq,
      /** Typed arrays: VS Code sends them to the page as binary, not as JSON. */
      ids: tokenArray,
      /** UTF-16 length of each token's text (0 for the later bytes of a split character). */
      lens: tokenArray,
      partial: z.array(z.strictObject({ index: count, hex: text(64) })).check(z.maxLength(TOKEN_VIEW_LIMIT)),
      /** Characters of the text the tokens cover (all of it, or the first TOKEN_VIEW_LIMIT). */
      covered: count,
      /** Some chunk had to be cut at its size limit: a few boundaries may differ. */
      approximate: z.boolean(),
      tokenizer: text(200),
    }),
    z.strictObject({ type: z.literal('tokens'), state: z.literal('computing'), seq }),
    z.strictObject({ type: z.literal('tokens'), state: z.literal('unavailable'), seq, reason: text(2000) }),
  ]),
  z.strictObject({ type: z.literal('tokenView'), on: z.boolean() }),
]);
export type HostToView = z.infer<typeof HostToViewSchema>;
export type TokensMessage = Extract<HostToView, { type: 'tokens' }>;
export type UpdateMessage = Extract<HostToView, { type: 'update' }>;

export const ViewToHostSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready'), seq: z.optional(seq) }),
  z.strictObject({ type: z.literal('tokenView'), on: z.boolean() }),
  z.strictObject({ type: z.literal('selectModel'), id: text(200) }),
  z.strictObject({ type: z.literal('pickModel') }),
  z.strictObject({ type: z.literal('copy') }),
  z.strictObject({ type: z.literal('lock'), locked: z.boolean() }),
  z.strictObject({ type: z.literal('selectValues') }),
  z.strictObject({ type: z.literal('reveal'), file: z.enum(['source', 'values']), line: z.int().check(z.positive()), column: z.optional(z.int().check(z.positive())) }),
  /** The page has painted an update or a token view (for the tests and the benchmark). */
  z.strictObject({
    type: z.literal('painted'),
    seq,
    what: z.enum(['text', 'tokens']),
    /** Milliseconds from the message's arrival to the paint. */
    ms: z.number(),
    textLength: count,
    tokensShown: count,
    headerTokens: text(200),
  }),
  /** A message from the extension failed validation (logged). */
  z.strictObject({ type: z.literal('invalid'), error: text(2000) }),
]);
export type ViewToHost = z.infer<typeof ViewToHostSchema>;

/** What the page keeps across reloads (vscode.setState); the extension reads it back in its WebviewPanelSerializer. */
export const SavedStateSchema = z.object({
  uri: z.optional(text(10_000)),
  locked: z.optional(z.boolean()),
  tokenView: z.optional(z.boolean()),
});
export type SavedState = z.infer<typeof SavedStateSchema>;

/** Validation for the page: the message, or the reason it was refused. */
export function parseHostMessage(raw: unknown): { ok: true; message: HostToView } | { ok: false; error: string } {
  const r = HostToViewSchema.safeParse(raw);
  return r.success ? { ok: true, message: r.data } : { ok: false, error: describe(r.error) };
}

export function parseViewMessage(raw: unknown): { ok: true; message: ViewToHost } | { ok: false; error: string } {
  const r = ViewToHostSchema.safeParse(raw);
  return r.success ? { ok: true, message: r.data } : { ok: false, error: describe(r.error) };
}

function describe(error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> }): string {
  return error.issues.slice(0, 3).map((i) => `${i.path.map(String).join('.') || '(message)'}: ${i.message}`).join('; ');
}
