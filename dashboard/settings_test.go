package dashboard

import (
	"testing"

	"github.com/shukei-analytics/shukei/aggregator/disclosure"
)

// TestPublishingSettingsFollowTheDisclosureRules checks that the form
// accepts exactly what the public side can publish with: a value it saved
// and disclosure.RulesFor refused would break the site's public page.
func TestPublishingSettingsFollowTheDisclosureRules(t *testing.T) {
	for _, tc := range []struct {
		form    settingsForm
		wantMsg string
		noisy   bool
	}{
		{settingsForm{Epsilon: ""}, "", false},
		{settingsForm{Epsilon: "0"}, "", false},
		{settingsForm{Epsilon: "0.0"}, "", false},
		{settingsForm{Epsilon: "1"}, "", true},
		{settingsForm{Epsilon: "0.5", MinCellSize: 5, RoundTo: 10}, "", true},
		{settingsForm{Epsilon: "100"}, "", true},
		{settingsForm{Epsilon: "1e-7"}, "site.invalid_epsilon", false},
		{settingsForm{Epsilon: "0.0000001"}, "site.invalid_epsilon", false},
		{settingsForm{Epsilon: "100.5"}, "site.invalid_epsilon", false},
		{settingsForm{Epsilon: "-1"}, "site.invalid_epsilon", false},
		{settingsForm{Epsilon: "NaN"}, "site.invalid_epsilon", false},
		{settingsForm{Epsilon: "."}, "site.invalid_epsilon", false},
		{settingsForm{Epsilon: "1/2"}, "site.invalid_epsilon", false},
		{settingsForm{MinCellSize: 1}, "site.invalid_min_cell", false},
		{settingsForm{MinCellSize: 1001}, "site.invalid_min_cell", false},
		{settingsForm{RoundTo: 3}, "site.invalid_round", false},
	} {
		p, msg := parsePublishing(&tc.form)
		if msg != tc.wantMsg {
			t.Errorf("%+v: message %q, want %q", tc.form, msg, tc.wantMsg)
			continue
		}
		if msg != "" {
			continue
		}
		rules, err := disclosure.RulesFor(p)
		if err != nil {
			t.Errorf("%+v: saved %+v, which the public side refuses: %v", tc.form, p, err)
		}
		if rules.Noisy() != tc.noisy {
			t.Errorf("%+v: noisy %v, want %v", tc.form, rules.Noisy(), tc.noisy)
		}
	}
}
