//! Board content (items and comments) and templates.

use super::exec::{Exec, Step, new_id, refusal, text};
use crate::action::Action;
use crate::catalog::{Capability, Privilege};
use crate::codes::Code;
use crate::event::{Coordinate, Event};
use crate::ids::ContentIx;
use crate::model::ContentKind;
use crate::request::Target;

pub(super) fn add_content(
    x: &mut Exec,
    board: &str,
    content: &str,
    kind: crate::model::ContentKind,
    body: &str,
) -> Step {
    let b = x.board(board)?;
    new_id("content", content, x.state.find_content(content).is_some())?;
    text("text", body, true)?;
    let needs = if kind == ContentKind::Comment {
        Capability::Comment
    } else {
        Capability::EditContent
    };
    x.decide(Action::Board(needs), Target::Board(b), |_| {})?;
    let author = x.actor_id().unwrap_or_default().to_string();
    x.change(
        format!("{} {content}", kind.as_str()),
        None,
        Some(body.to_string()),
    );
    x.emit(Event::ContentAdded {
        content: content.to_string(),
        board: board.to_string(),
        kind,
        text: body.to_string(),
        author,
    });
    Ok(())
}

pub(super) fn update_content(x: &mut Exec, content: &str, body: &str) -> Step {
    let c = content_ix(x, content)?;
    text("text", body, true)?;
    let before = may_change(x, c, false)?;
    x.change(
        format!("content {content}"),
        Some(before),
        Some(body.to_string()),
    );
    x.emit(Event::ContentSet {
        content: content.to_string(),
        text: Some(body.to_string()),
    });
    Ok(())
}

pub(super) fn delete_content(x: &mut Exec, content: &str) -> Step {
    let c = content_ix(x, content)?;
    let before = may_change(x, c, true)?;
    x.change(format!("content {content}"), Some(before), None);
    x.emit(Event::ContentSet {
        content: content.to_string(),
        text: None,
    });
    Ok(())
}

/// Places an item (editors): its position, and the frame it sits in (`None`: the board).
/// Comments have no place on the canvas.
pub(super) fn place_content(
    x: &mut Exec,
    content: &str,
    position: (f64, f64),
    parent: Option<&str>,
) -> Step {
    let c = content_ix(x, content)?;
    if !(position.0.is_finite() && position.1.is_finite()) {
        return Err(refusal(
            Code::RequestInvalidParameter,
            "a position is two finite numbers",
        ));
    }
    let item = x
        .state
        .content(c)
        .ok_or_else(|| refusal(Code::RequestNotFound, format!("no content `{content}`")))?;
    if item.kind == ContentKind::Comment {
        return Err(refusal(
            Code::RequestInvalidParameter,
            "a comment has no position on the board",
        ));
    }
    let board = item.board;
    let frame = |p: &str| {
        x.state.find_content(p).and_then(|f| {
            let frame = x.state.content(f)?;
            (f != c && frame.board == board && !frame.deleted && frame.kind == ContentKind::Frame)
                .then_some(f)
        })
    };
    if let Some(p) = parent
        && frame(p).is_none()
    {
        return Err(refusal(
            Code::RequestInvalidParameter,
            format!("`{p}` is no other frame of the item's board"),
        ));
    }
    x.decide(
        Action::Board(Capability::EditContent),
        Target::Board(board),
        |_| {},
    )?;
    let place = |pos: Option<(f64, f64)>, parent: Option<String>| {
        let (px, py) = pos.unwrap_or_default();
        match parent {
            Some(p) => format!("({px}, {py}) in {p}"),
            None => format!("({px}, {py})"),
        }
    };
    let before_parent = item
        .parent
        .and_then(|f| x.state.content(f))
        .map(|f| f.id.to_string());
    let before = place(item.position, before_parent);
    x.change(
        format!("position of {content}"),
        Some(before),
        Some(place(Some(position), parent.map(str::to_string))),
    );
    x.emit(Event::ContentPlaced {
        content: content.to_string(),
        x: Coordinate(position.0),
        y: Coordinate(position.1),
        parent: parent.map(str::to_string),
    });
    Ok(())
}

pub(super) fn set_template(x: &mut Exec, board: &str, template: bool) -> Step {
    let b = x.board(board)?;
    let team = x
        .state
        .board(b)
        .map(|b| b.team)
        .ok_or_else(|| refusal(Code::RequestNotFound, board.to_string()))?;
    // Template admins may mark any board of their scope; otherwise the owner, within
    // the team's `who_can_create` for templates.
    if x.decide(
        Action::Privilege(Privilege::TemplatesEdit),
        Target::Board(b),
        |_| {},
    )
    .is_err()
    {
        x.decide(Action::Board(Capability::Delete), Target::Board(b), |_| {})?;
        let owner = x.state.board(b).map(|b| b.owner);
        if x.actor_ix()? != owner {
            return Err(refusal(
                Code::AuthorityMissingPrivilege,
                "only the board's owner, or a template admin, marks templates",
            ));
        }
        x.require("team.create_template", Target::Team(team))?;
    }
    let before = x.state.board(b).map(|b| b.template.to_string());
    x.change("template", before, Some(template.to_string()));
    x.emit(Event::BoardTemplateSet {
        board: board.to_string(),
        template,
    });
    Ok(())
}

fn content_ix(x: &mut Exec, id: &str) -> Step<ContentIx> {
    let c = x
        .state
        .find_content(id)
        .filter(|c| x.state.content(*c).is_some_and(|c| !c.deleted))
        .ok_or_else(|| refusal(Code::RequestNotFound, format!("no content `{id}`")))?;
    let board = x
        .state
        .content(c)
        .and_then(|c| x.state.board(c.board))
        .map(|b| b.id.to_string())
        .unwrap_or_default();
    x.board(&board)?;
    x.target = format!("content:{id}");
    Ok(c)
}

/// Items are changed by editors; a comment by its author (who still needs comment rights),
/// and deleted by its author or an editor. Returns the current text.
fn may_change(x: &Exec, c: ContentIx, deleting: bool) -> Step<String> {
    let item = x
        .state
        .content(c)
        .ok_or_else(|| refusal(Code::RequestNotFound, "content"))?;
    let target = Target::Board(item.board);
    let own = x.actor_ix()? == Some(item.author);
    let edit = Action::Board(Capability::EditContent);
    if item.kind == ContentKind::Comment {
        if own {
            // The author changes their comment while they may comment at all.
            if let Err(refused) = x.decide(Action::Board(Capability::Comment), target, |_| {}) {
                if !deleting {
                    return Err(refused);
                }
                x.decide(edit, target, |_| {})?;
            }
        } else if deleting {
            x.decide(edit, target, |_| {})?;
        } else {
            return Err(refusal(
                Code::AuthorityNotAuthor,
                "only its author changes a comment",
            ));
        }
    } else {
        x.decide(edit, target, |_| {})?;
    }
    Ok(item.text.clone())
}
