// The subset of sanitize-html's types module 1 uses, shaped like `@types/sanitize-html`, until
// that package is installed (then delete this file: the package's own types take over).
declare module 'sanitize-html' {
  function sanitizeHtml(dirty: string, options?: sanitizeHtml.IOptions): string;
  namespace sanitizeHtml {
    interface Attributes {
      [attr: string]: string;
    }
    interface Tag {
      tagName: string;
      attribs: Attributes;
      text?: string;
    }
    type Transformer = (tagName: string, attribs: Attributes) => Tag;
    type DisallowedTagsModes = 'discard' | 'escape' | 'recursiveEscape' | 'completelyDiscard';
    interface IOptions {
      allowedTags?: string[] | false;
      allowedAttributes?: Record<string, string[]> | false;
      allowedClasses?: Record<string, string[] | boolean>;
      allowedSchemes?: string[] | boolean;
      allowedSchemesByTag?: Record<string, string[]> | boolean;
      allowedSchemesAppliedToAttributes?: string[];
      allowProtocolRelative?: boolean;
      disallowedTagsMode?: DisallowedTagsModes;
      enforceHtmlBoundary?: boolean;
      nonTextTags?: string[];
      transformTags?: Record<string, string | Transformer>;
      parseStyleAttributes?: boolean;
    }
  }
  export = sanitizeHtml;
}
