import type { Heading, Paragraph, PhrasingContent, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import type { MdxJsxFlowElement } from 'mdast-util-mdx-jsx';
import { toString as textOf } from 'mdast-util-to-string';

/** The nodes of a page from the heading `## title` up to the next heading of the same level or above. */
export function sectionOf(
  children: RootContent[],
  title: string,
): { start: number; end: number; nodes: RootContent[] } | undefined {
  const start = children.findIndex((n) => n.type === 'heading' && n.depth === 2 && textOf(n) === title);
  if (start === -1) return undefined;
  const next = children.findIndex((n, i) => i > start && n.type === 'heading' && n.depth <= 2);
  const end = next === -1 ? children.length : next;
  return { start, end, nodes: children.slice(start, end) };
}

/** Every bit of code in the nodes (inline and blocks), for looking up a command. */
export function codeIn(nodes: RootContent[]): string[] {
  const found: string[] = [];
  const walk = (node: RootContent) => {
    if (node.type === 'code' || node.type === 'inlineCode') found.push(node.value);
    if ('children' in node) for (const child of node.children) walk(child as RootContent);
  };
  for (const node of nodes) walk(node);
  return found;
}

/** Parses a short Markdown text (a hint) into its inline content. */
export function inlineMarkdown(text: string): PhrasingContent[] {
  return fromMarkdown(text).children.flatMap((n) => (n.type === 'paragraph' ? n.children : []));
}

/** `#`…`####` heading with plain text. */
export const heading = (depth: 1 | 2 | 3 | 4, text: string): Heading => ({
  type: 'heading',
  depth,
  children: [{ type: 'text', value: text }],
});

/** A paragraph of inline nodes. */
export const paragraph = (...children: PhrasingContent[]): Paragraph => ({ type: 'paragraph', children });

/** Plain text. */
export const text = (value: string): PhrasingContent => ({ type: 'text', value });

/** `code` inline. */
export const inlineCode = (value: string): PhrasingContent => ({ type: 'inlineCode', value });

/** A JSX element in the tree, which MDX renders with the theme's component of that name. */
export const jsxElement = (name: string, children: MdxJsxFlowElement['children']): MdxJsxFlowElement => ({
  type: 'mdxJsxFlowElement',
  name,
  attributes: [],
  children,
});
