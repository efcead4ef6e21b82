package lsp

import (
	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"
)

// ignoredNotifications are accepted and have nothing to do here.
var ignoredNotifications = map[string]bool{
	protocol.MethodTextDocumentDidSave:                true,
	protocol.MethodTextDocumentWillSave:               true,
	protocol.MethodSetTrace:                           true,
	protocol.MethodWorkspaceDidChangeWatchedFiles:     true, // core watches with fsnotify
	protocol.MethodWorkspaceDidChangeWorkspaceFolders: true,
	protocol.MethodWindowWorkDoneProgressCancel:       true,
	protocol.MethodProgress:                           true,
}

// unimplemented answers every other method: MethodNotFound for calls, and
// notifications are dropped (LSP: a server may ignore notifications it does
// not know; "$/" ones especially).
func (s *Server) unimplemented(method string, isCall bool) (any, error) {
	if !isCall {
		if method == protocol.MethodWorkspaceDidChangeWorkspaceFolders {
			s.logMessage(msgWarning, "brummer: workspace folders are read at initialize; restart the server to use the new folders")
		}
		if !ignoredNotifications[method] {
			s.log.Debug("dropping an unknown notification", zap.String("method", method))
		}
		return nil, nil
	}
	return nil, jsonrpc2.Errorf(jsonrpc2.MethodNotFound, "method %q is not implemented by brummer (see shared/PROTOCOL.md)", method)
}
