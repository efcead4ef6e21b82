package lsp

import (
	"encoding/json"
	"fmt"

	"github.com/brummer-dev/brummer/core/config"
)

type didChangeConfigurationParams struct {
	Settings json.RawMessage `json:"settings"`
}

// didChangeConfiguration merges the settings over the configuration in
// effect and applies what can change live: log store limits, the package
// manager preference, script environment (core), and the outbox and
// diagnostics bounds (here). Event bus and process manager sizes need a
// restart; core says so through its warnings.
func (s *Server) didChangeConfiguration(p *didChangeConfigurationParams) error {
	app := s.application()
	cfg, warnings, err := config.MergeJSON(app.Config(), p.Settings)
	for _, w := range warnings {
		s.logMessage(msgWarning, "brummer: "+w)
	}
	if err != nil {
		s.showMessage(msgError, fmt.Sprintf("brummer: settings not applied: %v", err))
		return nil
	}
	if err := app.ApplyConfig(cfg); err != nil {
		s.showMessage(msgError, fmt.Sprintf("brummer: settings not applied: %v", err))
		return nil
	}
	s.applyLimits(cfg)
	s.out.lensChanged()
	return nil
}

func (s *Server) applyLimits(cfg config.Config) {
	s.out.setLimits(limitsOf(cfg))
	s.diag.setMaxPerURI(cfg.Notifications.MaxDiagnosticsPerURI)
	s.mu.Lock()
	h := s.health
	s.mu.Unlock()
	if h != nil {
		h.setResources(cfg.Resources)
	}
}
