package dashboard

import (
	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/route"
)

// Routes are the dashboard's routes, each with the access it requires;
// the root mounts them behind the guard (For). Call it once Start has
// returned.
func (s *Server) Routes() []route.Route {
	u := s.ui
	get, post := fiber.MethodGet, fiber.MethodPost
	goals := &goalsAPI{ui: u, auth: &statsAuth{srv: s, startup: s.deps.StartupToken}}
	return []route.Route{
		// Plausible's Sites API goal endpoints, authorised like the Stats
		// API (route.Stats lets them through to their own checks).
		{Method: get, Path: "/api/v1/sites/goals", Access: route.Stats, Handler: goals.list},
		{Method: fiber.MethodPut, Path: "/api/v1/sites/goals", Access: route.Stats, Handler: goals.put},
		{Method: fiber.MethodDelete, Path: "/api/v1/sites/goals/:goal_id", Access: route.Stats, Handler: goals.delete},

		{Method: get, Path: "/assets/:version/*", Access: route.Public, Handler: u.serveAsset},
		{Method: get, Path: "/favicon.ico", Access: route.Public, Handler: u.assets.favicon},

		{Method: get, Path: "/", Access: route.Public, Handler: u.home},
		{Method: get, Path: "/setup", Access: route.Anonymous, Handler: u.setupForm},
		{Method: post, Path: "/setup", Access: route.Anonymous, Handler: u.setupSubmit},
		{Method: get, Path: "/login", Access: route.Anonymous, Handler: u.loginForm},
		{Method: post, Path: "/login", Access: route.Anonymous, Handler: u.loginSubmit},
		{Method: get, Path: "/login/second-factor", Access: route.SecondFactor, Handler: u.secondFactorForm},
		{Method: post, Path: "/login/second-factor", Access: route.SecondFactor, Handler: u.secondFactorSubmit},
		{Method: post, Path: "/logout", Access: route.Session, Handler: u.logout},

		{Method: get, Path: "/sites", Access: route.User, Handler: u.sitesPage},
		{Method: get, Path: "/add-site", Access: route.InstanceOwner, Handler: u.addSiteForm},
		{Method: post, Path: "/add-site", Access: route.InstanceOwner, Handler: u.addSiteSubmit},
		{Method: get, Path: "/sites/:domain", Access: route.SiteViewer, Handler: u.boardPage},
		{Method: get, Path: "/sites/:domain/privacy-notice", Access: route.SiteViewer, Handler: u.noticeShow},
		{Method: get, Path: "/sites/:domain/settings", Access: route.SiteAdmin, Handler: u.settingsPage},
		{Method: post, Path: "/sites/:domain/settings", Access: route.SiteAdmin, Handler: u.settingsSubmit},
		{Method: post, Path: "/sites/:domain/shared-links", Access: route.SiteAdmin, Handler: u.shareCreate},
		{Method: post, Path: "/sites/:domain/shared-links/:id/revoke", Access: route.SiteAdmin, Handler: u.shareRevoke},
		// A shared link: its secret (auth=) is checked by the handlers.
		{Method: get, Path: "/share/:domain", Access: route.Public, Handler: u.shareView},
		{Method: post, Path: "/share/:domain", Access: route.Public, Handler: u.shareUnlock},
		{Method: post, Path: "/sites/:domain/verify", Access: route.SiteAdmin, Handler: u.verifySubmit},
		{Method: post, Path: "/sites/:domain/goals", Access: route.SiteAdmin, Handler: u.goalSubmit},
		{Method: post, Path: "/sites/:domain/goals/:id/delete", Access: route.SiteAdmin, Handler: u.goalDelete},
		{Method: post, Path: "/sites/:domain/members", Access: route.SiteOwner, Handler: u.memberSubmit},
		{Method: post, Path: "/sites/:domain/members/:id/remove", Access: route.SiteOwner, Handler: u.memberRemove},
		{Method: post, Path: "/sites/:domain/remove", Access: route.SiteOwner, Handler: u.siteRemove},
		{Method: get, Path: "/sites/:domain/audit", Access: route.SiteOwner, Handler: u.auditPanel},

		{Method: get, Path: "/account", Access: route.Account, Handler: u.accountPage},
		{Method: post, Path: "/account/password", Access: route.Account, Handler: u.passwordSubmit},
		{Method: post, Path: "/account/sessions", Access: route.User, Handler: u.endOtherSessions},
		{Method: get, Path: "/account/two-factor", Access: route.User, Handler: u.twoFactorForm},
		{Method: post, Path: "/account/two-factor", Access: route.User, Handler: u.twoFactorEnable},
		{Method: post, Path: "/account/two-factor/disable", Access: route.User, Handler: u.twoFactorDisable},
		{Method: post, Path: "/account/recovery-codes", Access: route.User, Handler: u.recoveryRegenerate},

		{Method: get, Path: "/tokens", Access: route.User, Handler: u.tokensPage},
		{Method: post, Path: "/tokens", Access: route.User, Handler: u.tokenCreate},
		{Method: post, Path: "/tokens/:id/revoke", Access: route.User, Handler: u.tokenRevoke},

		{Method: get, Path: "/users", Access: route.InstanceOwner, Handler: u.usersPage},
		{Method: post, Path: "/users", Access: route.InstanceOwner, Handler: u.userCreate},
		{Method: post, Path: "/users/:id/reset-password", Access: route.InstanceOwner, Handler: u.userResetPassword},
		{Method: post, Path: "/users/:id/reset-two-factor", Access: route.InstanceOwner, Handler: u.userResetTwoFactor},
		{Method: post, Path: "/users/:id/owner", Access: route.InstanceOwner, Handler: u.userSetOwner},
		{Method: post, Path: "/users/:id/delete", Access: route.InstanceOwner, Handler: u.userDelete},
	}
}
