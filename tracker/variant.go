package tracker

import "strings"

// Features are the optional parts of the snippet, each compiled into its
// own build so that the default one stays small. A build is named by its
// features as Plausible names its scripts (script.hash.outbound-links.js),
// so a site switching from Plausible keeps its script name.
type Features uint8

// The optional features.
const (
	// FileDownloads counts clicks on links to files as "File Download"
	// events.
	FileDownloads Features = 1 << iota
	// Hash treats the URL fragment as part of the page (hash-based routing).
	Hash
	// Local also counts pages on localhost, 127.x and file: (development).
	Local
	// OutboundLinks counts clicks on links to other hosts as "Outbound
	// Link: Click" events.
	OutboundLinks

	allFeatures = FileDownloads | Hash | Local | OutboundLinks
)

// featureParts are the file-name parts of the features, in bit order,
// which is also the sorted order of canonical file names.
var featureParts = [...]string{"file-downloads", "hash", "local", "outbound-links"}

// maxFileName bounds the names ParseFileName looks at: the longest valid
// name with every part is well below it.
const maxFileName = 128

// FileName is the canonical file name of the build with features f, e.g.
// "script.hash.outbound-links.js".
func (f Features) FileName() string {
	var b strings.Builder
	b.WriteString("script")
	for i, part := range featureParts {
		if f&(1<<i) != 0 {
			b.WriteByte('.')
			b.WriteString(part)
		}
	}
	b.WriteString(".js")
	return b.String()
}

// ParseFileName reads a script name: "script" (or Plausible's older
// "plausible"), then feature parts in any order, then ".js". It reports
// false for anything else, including unknown or repeated parts: serving a
// build that silently lacks a feature the page asked for would be worse
// than a clear 404.
func ParseFileName(name string) (Features, bool) {
	if len(name) > maxFileName {
		return 0, false
	}
	rest, ok := strings.CutSuffix(name, ".js")
	if !ok {
		return 0, false
	}
	base, parts, dotted := strings.Cut(rest, ".")
	if base != "script" && base != "plausible" {
		return 0, false
	}
	var f Features
	if !dotted {
		return f, true
	}
	for part := range strings.SplitSeq(parts, ".") {
		bit := featureBit(part)
		if bit == 0 || f&bit != 0 {
			return 0, false
		}
		f |= bit
	}
	return f, true
}

func featureBit(part string) Features {
	for i, p := range featureParts {
		if p == part {
			return 1 << i
		}
	}
	return 0
}

// FeatureNames lists the file-name parts a script name may contain.
func FeatureNames() []string { return featureParts[:] }
