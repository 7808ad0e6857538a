//! Layer 2: the scopes of an app, for app tokens only.

use super::Ctx;
use super::credential::AppGrant;
use super::trace::{Outcome, Trace};
use crate::catalog::{Plan, Scope, ScopeSet, Surface};
use crate::codes::{Code, Layer};
use crate::decision::{Denial, Facts};

/// What an app brings to the scope layer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AppScopes {
    /// The scopes in force: the token's (or the question's), within what the installation
    /// was granted.
    pub held: ScopeSet,
    /// The scopes the app registers (enables): what its installation would hold but for
    /// consent or the plan. Empty when no app is known.
    pub registered: ScopeSet,
}

/// A refusal of the scope layer: its code and the scopes it names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScopeRefusal {
    /// `scope.missing`, `scope.plan`, `scope.surface` or `scope.not_for_apps`.
    pub code: Code,
    /// The scopes that would admit the action (for `scope.plan`, those the plan lacks).
    pub scopes: ScopeSet,
}

/// The scope rule (MODEL.md §8, docs/decisions.md), for the engine's questions and the
/// server's routes alike: whether `app` on `surface`, in an organization on `plan` (with
/// the Guard add-on or not), is admitted to an action that `admitting` scopes admit.
/// Returns the scopes that admit it.
///
/// The plan is named before a missing scope whenever it is what stands in the way: the
/// token holds an admitting scope the plan lacks; or the app registers one (it would hold
/// it but for the plan, which keeps it from ever being granted here); or no admitting
/// scope is available on the plan at all, so no token could be admitted.
pub fn admit(
    admitting: ScopeSet,
    app: AppScopes,
    surface: Surface,
    plan: Plan,
    guard: bool,
) -> Result<ScopeSet, ScopeRefusal> {
    let refuse = |code, scopes| Err(ScopeRefusal { code, scopes });
    if admitting.is_empty() {
        return refuse(Code::ScopeNotForApps, ScopeSet::EMPTY);
    }
    let on_surface = |s: &Scope| s.surfaces().contains(surface);
    let available = |s: &Scope| s.available(plan, guard);
    let held = app.held.intersection(admitting);
    let usable: ScopeSet = held.iter().filter(on_surface).collect();
    let admitted: ScopeSet = usable.iter().filter(available).collect();
    if !admitted.is_empty() {
        return Ok(admitted);
    }
    if !usable.is_empty() {
        return refuse(Code::ScopePlan, usable);
    }
    if !held.is_empty() {
        return refuse(Code::ScopeSurface, held);
    }
    let here: ScopeSet = admitting.iter().filter(on_surface).collect();
    let beyond_plan: ScopeSet = here.iter().filter(|s| !available(s)).collect();
    let registered_beyond_plan = beyond_plan.intersection(app.registered);
    if !registered_beyond_plan.is_empty() {
        return refuse(Code::ScopePlan, registered_beyond_plan);
    }
    let would = here.difference(beyond_plan);
    if would.is_empty() && !beyond_plan.is_empty() {
        return refuse(Code::ScopePlan, beyond_plan);
    }
    // Name the scopes that would work here; if none would on this surface, all.
    refuse(
        Code::ScopeMissing,
        if would.is_empty() { admitting } else { would },
    )
}

/// The scopes in force for the question: from an app token, or from an app and scopes
/// stated in the question. `None` when no app is involved (a user's own session or token).
pub(crate) fn app_scopes(
    ctx: &Ctx,
    from_token: Option<AppGrant>,
) -> Result<Option<AppScopes>, Denial> {
    if let Some(grant) = from_token {
        let stated = ctx.req.scopes.unwrap_or(grant.scopes);
        return Ok(Some(AppScopes {
            held: stated.intersection(grant.scopes),
            registered: grant.registered,
        }));
    }
    match (ctx.req.app, ctx.req.scopes) {
        (None, None) => Ok(None),
        (None, Some(scopes)) => Ok(Some(AppScopes {
            held: scopes,
            registered: ScopeSet::EMPTY,
        })),
        (Some(app), stated) => {
            let the_app = ctx.state.app(app);
            // What the app's installations in the organization were granted bounds it.
            let installations = the_app
                .map(|a| a.installations.as_slice())
                .unwrap_or_default();
            let granted = installations
                .iter()
                .filter_map(|i| ctx.state.installation(*i))
                .filter(|i| i.org == ctx.org_ix && i.active)
                .fold(None, |acc: Option<ScopeSet>, i| {
                    Some(acc.unwrap_or_default().union(i.granted))
                });
            match granted {
                None => Err(Denial::new(Code::ScopeNotInstalled, Facts::default())),
                Some(granted) => Ok(Some(AppScopes {
                    held: stated.unwrap_or(granted).intersection(granted),
                    registered: the_app.map(|a| a.enabled).unwrap_or_default(),
                })),
            }
        }
    }
}

pub(crate) fn check<T: Trace>(
    ctx: &Ctx,
    scopes: Option<AppScopes>,
    trace: &mut T,
) -> Result<(), Denial> {
    let Some(scopes) = scopes else {
        trace.layer(Layer::Scope, Outcome::NotApplicable, || {
            "no app is involved: a user's own credential has no scope layer".into()
        });
        return Ok(());
    };
    let action = ctx.req.action;
    match admit(
        action.admitting_scopes(),
        scopes,
        ctx.req.surface,
        ctx.plan(),
        ctx.org.has_guard(),
    ) {
        Ok(admitted) => {
            trace.layer(Layer::Scope, Outcome::Passed, || {
                let names: Vec<&str> = admitted.iter().map(Scope::name).collect();
                format!("admitted by {}", names.join(", "))
            });
            Ok(())
        }
        Err(refusal) => Err(Denial::new(
            refusal.code,
            Facts {
                action: Some(action),
                scopes: refusal.scopes,
                ..Facts::default()
            },
        )),
    }
}
