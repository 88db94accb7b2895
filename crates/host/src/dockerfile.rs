//! Reading the Dockerfile a failed build used (the one reading from disk that every front
//! end, the command and the Node.js package, shares), to place its failed instruction: the one
//! the operator names, else the one OpenShell announced (`Building image … from PATH`),
//! else the create's `--from` (a Dockerfile, or a directory holding `Dockerfile`),
//! resolved from the working directory as OpenShell resolves it.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use sandbox_triage_core::{place_in_dockerfile, redact, Diagnosis};

/// A Dockerfile larger than this is not read.
const DOCKERFILE_MAX: u64 = 1 << 20;

/// Places the failed step in its Dockerfile when one can be read. A file the operator
/// named that cannot be read is said in the report's note; one only announced or
/// implied is skipped when it is not there (the log may come from another machine).
pub fn place_dockerfile(diagnosis: &mut Diagnosis, given: Option<&Path>, create_from: Option<&str>) {
    let Some(spot) = &diagnosis.dockerfile else { return };
    if spot.line.is_some() {
        return;
    }
    let announced = spot.path.as_deref().map(PathBuf::from);
    let implied = create_from.map(PathBuf::from);
    let (path, named) = match (given, announced, implied) {
        (Some(given), _, _) => (given.to_path_buf(), true),
        (None, Some(announced), _) => (announced, false),
        (None, None, Some(from)) => (from, false),
        (None, None, None) => return,
    };
    // A directory stands for its Dockerfile, as it does for OpenShell.
    let path = if path.is_dir() { path.join("Dockerfile") } else { path };
    // A path the output (or `--from`) names is read only when OpenShell would have built
    // it: a file whose name says Dockerfile. A log cannot make the tool read another.
    if !named && !looks_like_dockerfile(&path) {
        return;
    }
    let shown = redact(&path.display().to_string()).into_owned();
    match read(&path) {
        Ok(text) => place_in_dockerfile(diagnosis, &path.display().to_string(), &text),
        Err(why) if named => {
            if let Some(spot) = &mut diagnosis.dockerfile {
                spot.note = Some(format!("cannot read {shown}: {}", redact(&why)));
                spot.path = Some(shown);
            }
        }
        Err(_) => {}
    }
}

/// OpenShell's test of a Dockerfile source: its lower-case name holds `dockerfile`.
fn looks_like_dockerfile(path: &Path) -> bool {
    path.file_name().is_some_and(|name| name.to_string_lossy().to_lowercase().contains("dockerfile"))
}

/// The Dockerfile's text: a regular file only (a FIFO would block), at most
/// [`DOCKERFILE_MAX`] bytes, invalid UTF-8 replaced.
fn read(path: &Path) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a regular file".to_owned());
    }
    if meta.len() > DOCKERFILE_MAX {
        return Err(format!("larger than {} KiB", DOCKERFILE_MAX >> 10));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path).and_then(|f| f.take(DOCKERFILE_MAX).read_to_end(&mut bytes)).map_err(|e| e.to_string())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
