package auth

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Password length bounds, in characters after NFKC normalisation. The
// minimum follows NIST SP 800-63B for passwords used as a single factor;
// the maximum only bounds the work of one hash.
const (
	MinPasswordLen = 12
	MaxPasswordLen = 256
)

// PolicyError says why a password was refused. Key names the message in the
// dashboard's catalogs, so it can be shown in the user's language.
type PolicyError struct {
	Key string
}

func (e *PolicyError) Error() string { return "password refused: " + e.Key }

// CheckPassword applies the password policy: long enough, not absurdly
// long, and not one of the guessable forms that breach corpora are full of
// (a single repeated character, a keyboard or alphabet run, a well-known
// password with digits appended, the account or product name). There are
// no composition rules: they make passwords harder to remember, not to
// guess.
func CheckPassword(password, username string) error {
	p := norm.NFKC.String(password)
	n := utf8.RuneCountInString(p)
	switch {
	case !utf8.ValidString(password):
		return &PolicyError{Key: "password.invalid"}
	case n < MinPasswordLen:
		return &PolicyError{Key: "password.too_short"}
	case n > MaxPasswordLen:
		return &PolicyError{Key: "password.too_long"}
	}
	lower := strings.ToLower(p)
	name := strings.ToLower(norm.NFKC.String(username))
	switch {
	case distinctRunes(lower) < 5:
		return &PolicyError{Key: "password.repetitive"}
	case isRun(lower):
		return &PolicyError{Key: "password.sequence"}
	case len(name) >= 4 && strings.Contains(lower, name):
		return &PolicyError{Key: "password.contains_username"}
	case isCommon(lower):
		return &PolicyError{Key: "password.common"}
	}
	return nil
}

func distinctRunes(s string) int {
	seen := map[rune]bool{}
	for _, r := range s {
		seen[r] = true
	}
	return len(seen)
}

// runs are sequences people walk along when asked for a long password.
var runs = []string{
	"01234567890123456789", "98765432109876543210",
	"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz", "zyxwvutsrqponmlkjihgfedcbazyxwvutsrqponmlkjihgfedcba",
	"qwertyuiopqwertyuiop", "asdfghjklasdfghjkl", "zxcvbnmzxcvbnm", "1qaz2wsx3edc4rfv5tgb6yhn",
	"qazwsxedcrfvtgbyhnujmikolp", "あいうえおかきくけこさしすせそたちつてとなにぬねの",
}

// isRun reports whether s is a piece of a run, possibly repeated
// ("abcabcabcabc").
func isRun(s string) bool {
	for _, r := range runs {
		if strings.Contains(r, s) {
			return true
		}
	}
	for size := 1; size <= len(s)/2; size++ {
		if len(s)%size == 0 && strings.Repeat(s[:size], len(s)/size) == s {
			return true
		}
	}
	return false
}

// commonStems are the words at the top of every leaked-password list; a
// password that is one of them plus digits or punctuation is refused.
var commonStems = []string{
	"password", "passw0rd", "p@ssw0rd", "p@ssword", "qwerty", "letmein", "welcome", "iloveyou", "admin",
	"administrator", "changeme", "default", "secret", "monkey", "dragon", "sunshine", "princess",
	"football", "baseball", "master", "shadow", "trustno1", "login", "abc123", "shukei", "analytics",
	"test", "guest", "root", "user", "hello", "superman", "batman", "starwars",
}

func isCommon(s string) bool {
	// Digits and punctuation around the word do not make it less common:
	// "Password2024!" is the stem "password".
	core := strings.TrimFunc(s, notLetter)
	for _, stem := range commonStems {
		// The stem, or the stem repeated ("passwordpassword").
		if core != "" && strings.ReplaceAll(core, stem, "") == "" {
			return true
		}
	}
	return false
}

func notLetter(r rune) bool { return !(r >= 'a' && r <= 'z' || r == '@' || r >= 0x80) }
