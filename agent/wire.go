package agent

// The objects of shared/PROTOCOL.md, as the core sends them.

type wireURL struct {
	URL       string `json:"url"`
	ProxyURL  string `json:"proxyUrl,omitempty"`
	ProcessID string `json:"processId"`
	Script    string `json:"script"`
}

type wireProcess struct {
	ID        string    `json:"id"`
	Script    string    `json:"script"`
	Dir       string    `json:"dir"`
	Command   string    `json:"command"`
	Status    string    `json:"status"`
	PID       int       `json:"pid"`
	ExitCode  *int      `json:"exitCode"`
	StartedAt string    `json:"startedAt"`
	EndedAt   *string   `json:"endedAt"`
	Errors    int       `json:"errors"`
	Warnings  int       `json:"warnings"`
	URLs      []wireURL `json:"urls"`
}

// ended reports whether the process is over (stopped, success, failed).
func (p wireProcess) ended() bool {
	return p.Status == "stopped" || p.Status == "success" || p.Status == "failed"
}

type wireScript struct {
	Name           string `json:"name"`
	Command        string `json:"command"`
	Dir            string `json:"dir"`
	PackageManager string `json:"packageManager"`
}

type wireLogEntry struct {
	Seq       uint64 `json:"seq"`
	ProcessID string `json:"processId"`
	Time      string `json:"time"`
	Stream    string `json:"stream"`
	Text      string `json:"text"`
	Level     string `json:"level"`
}

type wireLogs struct {
	Entries []wireLogEntry `json:"entries"`
	LastSeq uint64         `json:"lastSeq"`
	Dropped uint64         `json:"dropped"`
}

type wirePosition struct {
	Line      int `json:"line"`
	Character int `json:"character"`
}

type wireRange struct {
	Start wirePosition `json:"start"`
	End   wirePosition `json:"end"`
}

type wireDiagnostic struct {
	Range              wireRange `json:"range"`
	Severity           int       `json:"severity"`
	Code               string    `json:"code"`
	Source             string    `json:"source"`
	Message            string    `json:"message"`
	RelatedInformation []struct {
		Location struct {
			URI   string    `json:"uri"`
			Range wireRange `json:"range"`
		} `json:"location"`
		Message string `json:"message"`
	} `json:"relatedInformation"`
}

type wireProblem struct {
	ProcessID  string         `json:"processId"`
	URI        string         `json:"uri"`
	Diagnostic wireDiagnostic `json:"diagnostic"`
}

type wireRequest struct {
	Time       string  `json:"time"`
	Method     string  `json:"method"`
	URL        string  `json:"url"`
	Status     int     `json:"status"`
	DurationMS float64 `json:"durationMs"`
	Bytes      int64   `json:"bytes"`
	ProcessID  string  `json:"processId"`
}
