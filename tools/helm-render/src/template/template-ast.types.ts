/**
 * The parse tree of a Go text/template, limited to what Helm charts use. Every node keeps the
 * position of its source so execution errors can name the template, line and column like Go does.
 */

export interface Pos {
  /** The template the node was parsed from (Go's ParseName: defines keep their file's name). */
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export type ListNode = readonly Node[];

export type Node =
  TextNode | ActionNode | IfNode | RangeNode | WithNode | TemplateNode | BreakNode | ContinueNode;

export interface TextNode {
  readonly type: 'text';
  readonly text: string;
}

export interface ActionNode {
  readonly type: 'action';
  readonly pos: Pos;
  readonly pipe: PipeNode;
}

/** `if`, `with` and `range` share this shape; `elseList` holds a nested node for `else if`/`else with`. */
interface BranchNode {
  readonly pos: Pos;
  readonly pipe: PipeNode;
  readonly list: ListNode;
  readonly elseList: ListNode | null;
}

export interface IfNode extends BranchNode {
  readonly type: 'if';
}

export interface WithNode extends BranchNode {
  readonly type: 'with';
}

export interface RangeNode extends BranchNode {
  readonly type: 'range';
}

export interface TemplateNode {
  readonly type: 'template';
  readonly pos: Pos;
  readonly name: string;
  readonly pipe: PipeNode | null;
}

export interface BreakNode {
  readonly type: 'break';
  readonly pos: Pos;
}

export interface ContinueNode {
  readonly type: 'continue';
  readonly pos: Pos;
}

/** `$a, $b := cmd | cmd`: `decl` names the variables, `isAssign` is `=` rather than `:=`. */
export interface PipeNode {
  readonly pos: Pos;
  readonly decl: readonly string[];
  readonly isAssign: boolean;
  readonly cmds: readonly CommandNode[];
  /** The source text, shown in execution errors as `<...>`. */
  readonly src: string;
}

export interface CommandNode {
  readonly pos: Pos;
  readonly args: readonly ArgNode[];
  readonly src: string;
}

/** An operand; `pos` is where it starts, which Go reports for errors about that operand. */
export type ArgNode = { readonly pos: Pos } & (
  | { readonly type: 'dot' }
  | { readonly type: 'nil' }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'string'; readonly value: string; readonly text: string }
  /** `isInt` tells an integer constant (Go int) from a floating-point one (Go float64). */
  | {
      readonly type: 'number';
      readonly value: number | bigint;
      readonly isInt: boolean;
      readonly text: string;
    }
  | { readonly type: 'identifier'; readonly name: string }
  /** `.A.B` on dot. */
  | { readonly type: 'field'; readonly chain: readonly string[] }
  /** `$x.A.B` (`$` alone is the root data). */
  | { readonly type: 'variable'; readonly name: string; readonly chain: readonly string[] }
  /** `(pipeline).A.B` */
  | { readonly type: 'pipe'; readonly pipe: PipeNode; readonly chain: readonly string[] }
);

export interface ParsedTemplate {
  readonly name: string;
  readonly root: ListNode;
}
