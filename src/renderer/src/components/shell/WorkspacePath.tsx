/** The open workspace file: the folder may be cut with an ellipsis, the file name never is. */
export function WorkspacePath({ path }: { path: string }) {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1;
  return (
    <span className="app-workspace" title={path} data-testid="workspace-path">
      <span className="app-workspace-dir">{path.slice(0, cut)}</span>
      <span className="app-workspace-file">{path.slice(cut)}</span>
    </span>
  );
}
