export declare const EXPRESSION_CHILD_OUTFILE: string;
export declare function buildExpressionChild(root: string): Promise<void>;
