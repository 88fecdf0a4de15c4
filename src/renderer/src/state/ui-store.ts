import { create } from 'zustand';
import { type BlueprintFile } from '../lib/blueprint-files';

export type Selection =
  | { readonly kind: 'flow'; readonly pk: string }
  | { readonly kind: 'user'; readonly pk: number }
  | { readonly kind: 'group'; readonly pk: string }
  | { readonly kind: 'policy'; readonly pk: string }
  | null;

export type DeletableEntity = 'flow' | 'user' | 'group';

/**
 * Which dialog is open; dialogs hold ids, never callbacks or copies of records. The import
 * dialog holds the files the user picked or dropped: they are not in the workspace yet.
 */
export type DialogState =
  | { readonly type: 'create-flow' }
  | { readonly type: 'rename-flow'; readonly pk: string }
  | { readonly type: 'duplicate-flow'; readonly pk: string }
  | { readonly type: 'create-user' }
  | { readonly type: 'set-password'; readonly pk: number }
  | { readonly type: 'create-group' }
  | {
      readonly type: 'delete';
      readonly entity: DeletableEntity;
      readonly pk: string | number;
      readonly label: string;
    }
  | {
      readonly type: 'import-blueprint';
      readonly files: readonly BlueprintFile[];
      /** Files that were left out (not YAML, too large), one sentence each. */
      readonly notes: readonly string[];
      /** Changes with every pick or drop, so a new batch starts a fresh dialog. */
      readonly batch: number;
    }
  /** `flows`: slugs; empty exports the whole workspace. */
  | { readonly type: 'export-blueprint'; readonly flows: readonly string[] }
  | null;

export type SidebarSectionId = 'flows' | 'users' | 'groups' | 'policies' | 'blueprints';

interface UiState {
  selection: Selection;
  dialog: DialogState;
  /** Sidebar sections the user folded away. */
  collapsed: Readonly<Record<SidebarSectionId, boolean>>;
  select(selection: Selection): void;
  openDialog(dialog: NonNullable<DialogState>): void;
  closeDialog(): void;
  toggleSection(id: SidebarSectionId): void;
}

/** UI state only: what is selected and which dialog is open. Data comes from main. */
export const useUiStore = create<UiState>()((set) => ({
  selection: null,
  dialog: null,
  collapsed: { flows: false, users: false, groups: false, policies: false, blueprints: false },
  select: (selection) => set({ selection }),
  openDialog: (dialog) => set({ dialog }),
  closeDialog: () => set({ dialog: null }),
  toggleSection: (id) =>
    set((state) => ({ collapsed: { ...state.collapsed, [id]: !state.collapsed[id] } })),
}));

export function isSelected(
  selection: Selection,
  kind: NonNullable<Selection>['kind'],
  pk: string | number,
): boolean {
  return selection !== null && selection.kind === kind && selection.pk === pk;
}
