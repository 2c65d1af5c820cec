package locale

// Screen classes: the only screen information kept. Bounds follow common
// CSS breakpoints so the classes mean what site owners design for.
const (
	ScreenMobile  = "Mobile"  // < 576 CSS px
	ScreenTablet  = "Tablet"  // < 992
	ScreenLaptop  = "Laptop"  // < 1440
	ScreenDesktop = "Desktop" // ≥ 1440
)

// maxWidth rejects absurd widths that no screen has: such values come from
// scripts or forged hits and would only pollute the Desktop class.
const maxWidth = 100000

// ScreenClass maps a screen width in CSS pixels to its class, or "" when
// the width is missing (≤ 0) or absurd (> 100000).
func ScreenClass(width int) string {
	switch {
	case width <= 0 || width > maxWidth:
		return ""
	case width < 576:
		return ScreenMobile
	case width < 992:
		return ScreenTablet
	case width < 1440:
		return ScreenLaptop
	}
	return ScreenDesktop
}
