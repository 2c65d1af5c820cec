package accesslog

import (
	"fmt"
	"strings"
)

// Compiling format strings: nginx's log_format variables and Apache's
// LogFormat directives become the same tokens.

// nginxVars maps nginx variables to fields; other variables are ignored.
var nginxVars = map[string]fieldKind{
	"remote_addr": fAddr, "realip_remote_addr": fAddr,
	"http_x_forwarded_for": fForwardedFor,
	"time_local":           fTimeCLF, "time_iso8601": fTimeISO, "msec": fTimeSec,
	"request": fRequest, "request_method": fMethod, "request_uri": fURI,
	"uri": fPath, "document_uri": fPath, "args": fQuery, "query_string": fQuery,
	"status": fStatus, "http_referer": fReferrer, "http_user_agent": fUserAgent,
	"host": fHost, "http_host": fHost, "server_name": fHost, "scheme": fScheme,
	"sent_http_content_type": fContentType, "is_args": fIsArgs,
}

// apacheDirectives maps Apache LogFormat directives to fields.
var apacheDirectives = map[string]fieldKind{
	"h": fAddr, "a": fAddr, "m": fMethod, "U": fPath, "q": fQuery, "r": fRequest,
	"s": fStatus, ">s": fStatus, "<s": fStatus, "v": fHost, "V": fHost,
}

// apacheHeaders maps %{Header}i / %{Header}o to fields (lower case).
var apacheHeaders = map[string]fieldKind{
	"referer|i": fReferrer, "user-agent|i": fUserAgent, "x-forwarded-for|i": fForwardedFor,
	"host|i": fHost, "content-type|o": fContentType,
	"sec|t": fTimeSec, "msec|t": fTimeMsec, "usec|t": fTimeUsec,
}

func compileNginx(s string) ([]token, error) {
	var toks []token
	for s != "" {
		i := strings.IndexByte(s, '$')
		if i < 0 {
			return append(toks, token{lit: s}), nil
		}
		if i > 0 {
			toks = append(toks, token{lit: s[:i]})
		}
		s = s[i+1:]
		var name string
		if strings.HasPrefix(s, "{") {
			end := strings.IndexByte(s, '}')
			if end < 0 {
				return nil, fmt.Errorf("format string: unclosed ${")
			}
			name, s = s[1:end], s[end+1:]
		} else {
			n := 0
			for n < len(s) && (s[n] == '_' || s[n] >= 'a' && s[n] <= 'z' || s[n] >= 'A' && s[n] <= 'Z' || s[n] >= '0' && s[n] <= '9') {
				n++
			}
			name, s = s[:n], s[n:]
		}
		if name == "" {
			return nil, fmt.Errorf("format string: $ without a variable name")
		}
		toks = append(toks, token{kind: nginxVars[strings.ToLower(name)], field: "$" + name})
	}
	return toks, nil
}

func compileApache(s string) ([]token, error) {
	var toks []token
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			toks = append(toks, token{lit: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) {
			// Apache configuration escapes: \" is a quote, \t a tab.
			i++
			switch s[i] {
			case 't':
				lit.WriteByte('\t')
			case 'n':
				lit.WriteByte('\n')
			default:
				lit.WriteByte(s[i])
			}
			continue
		}
		if c != '%' {
			lit.WriteByte(c)
			continue
		}
		if i+1 >= len(s) {
			return nil, fmt.Errorf("format string: %% at the end")
		}
		i++
		if s[i] == '%' {
			lit.WriteByte('%')
			continue
		}
		start := i
		// Status-code conditions and modifiers: %400,501{User-agent}i, %>s.
		for i < len(s) && (s[i] == '!' || s[i] == ',' || s[i] == '<' || s[i] == '>' || s[i] >= '0' && s[i] <= '9') {
			i++
		}
		mod := strings.Trim(s[start:i], "!,0123456789")
		arg := ""
		if i < len(s) && s[i] == '{' {
			end := strings.IndexByte(s[i:], '}')
			if end < 0 {
				return nil, fmt.Errorf("format string: unclosed %%{")
			}
			arg, i = s[i+1:i+end], i+end+1
		}
		if i >= len(s) {
			return nil, fmt.Errorf("format string: directive without a letter")
		}
		d := string(s[i])
		field := s[start-1 : i+1]
		flush()
		switch {
		case d == "t" && arg == "":
			toks = append(toks, token{lit: "["}, token{kind: fTimeCLF, field: field}, token{lit: "]"})
		case arg != "":
			toks = append(toks, token{kind: apacheHeaders[strings.ToLower(arg)+"|"+d], field: field})
		default:
			kind := apacheDirectives[mod+d]
			if kind == fIgnore {
				kind = apacheDirectives[d]
			}
			toks = append(toks, token{kind: kind, field: field})
		}
	}
	flush()
	return toks, nil
}

// joinURI reads a path written right before its query (Apache's %U%q,
// nginx's $uri$is_args$args) as one field: the query starts with "?".
func joinURI(toks []token) []token {
	out := toks[:0:0]
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.kind == fPath {
			j := i + 1
			if j < len(toks) && toks[j].kind == fIsArgs {
				j++
			}
			if j < len(toks) && toks[j].kind == fQuery {
				t.kind, t.field, i = fURI, t.field+toks[j].field, j
			}
		}
		out = append(out, t)
	}
	return out
}

// mergeLiterals joins adjacent literals (%t's brackets next to text).
func mergeLiterals(toks []token) []token {
	out := toks[:0:0]
	for _, t := range toks {
		if n := len(out); n > 0 && !t.isField() && !out[n-1].isField() {
			out[n-1].lit += t.lit
			continue
		}
		out = append(out, t)
	}
	return out
}
