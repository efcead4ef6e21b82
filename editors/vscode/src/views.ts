// The Processes, URLs and Scripts views: tree data providers over the
// state; rows come from core/tree.
import * as vscode from 'vscode';
import { Process, Script, Url } from './core/protocol';
import { State } from './core/state';
import { groupItem, groupScripts, Item, processItem, ScriptGroup, scriptItem, urlItem } from './core/tree';

export type Node =
  | { kind: 'process'; process: Process }
  | { kind: 'url'; url: Url }
  | { kind: 'group'; group: ScriptGroup }
  | { kind: 'script'; script: Script };

function toTreeItem(item: Item, command?: vscode.Command): vscode.TreeItem {
  const t = new vscode.TreeItem(
    item.label,
    item.expandable ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
  );
  t.id = item.id;
  t.description = item.description;
  t.tooltip = item.tooltip;
  t.iconPath = new vscode.ThemeIcon(item.icon, item.color ? new vscode.ThemeColor(item.color) : undefined);
  t.contextValue = item.contextValue;
  t.command = command;
  return t;
}

abstract class View implements vscode.TreeDataProvider<Node> {
  private readonly emitter = new vscode.EventEmitter<Node | undefined | void>();
  readonly onDidChangeTreeData = this.emitter.event;

  constructor(protected readonly state: State) {
    state.onChange(() => this.emitter.fire());
  }

  abstract getChildren(node?: Node): Node[];
  abstract getTreeItem(node: Node): vscode.TreeItem;
}

export class ProcessesView extends View {
  getChildren(node?: Node): Node[] {
    if (node) return [];
    return this.state.latest().map((process) => ({ kind: 'process', process }));
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind !== 'process') throw new Error('processes view: unexpected node');
    return toTreeItem(processItem(node.process, Date.now()), {
      command: 'brummer.showLog',
      title: 'Show Log',
      arguments: [node],
    });
  }
}

export class UrlsView extends View {
  getChildren(node?: Node): Node[] {
    if (node) return [];
    return this.state.urls.map((url) => ({ kind: 'url', url }));
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind !== 'url') throw new Error('urls view: unexpected node');
    return toTreeItem(urlItem(node.url), { command: 'brummer.openUrl.external', title: 'Open', arguments: [node] });
  }
}

export class ScriptsView extends View {
  getChildren(node?: Node): Node[] {
    if (node?.kind === 'group') return node.group.scripts.map((script) => ({ kind: 'script', script }));
    if (node) return [];
    const roots = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    const groups = groupScripts(this.state.scripts, roots);
    if (groups.length === 1) return groups[0].scripts.map((script) => ({ kind: 'script', script }));
    return groups.map((group) => ({ kind: 'group', group }));
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'group') return toTreeItem(groupItem(node.group));
    if (node.kind !== 'script') throw new Error('scripts view: unexpected node');
    const s = node.script;
    return toTreeItem(scriptItem(s, this.state), {
      command: 'vscode.open',
      title: 'Open in Manifest',
      arguments: [
        vscode.Uri.parse(s.uri),
        {
          selection: new vscode.Range(
            s.range.start.line,
            s.range.start.character,
            s.range.end.line,
            s.range.end.character,
          ),
        },
      ],
    });
  }
}
