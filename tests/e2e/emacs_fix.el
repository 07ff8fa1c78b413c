;;; emacs_fix.el --- Driven by tests/e2e/test_emacs.py  -*- lexical-binding: t; -*-

;; Open a file, start trae-lsp through eglot and editors/emacs/trae.el, run a Trae
;; command (`command', with `task' for `trae-run-task'), and wait for the server's
;; edit to land in the buffer.  In review mode (`accept' names the command) first
;; wait for the pending change overlays, note them, then accept the first one.  Writes the
;; buffer text (unsaved) to `result' and what happened to `notes'; exit 1 on timeout.

;;; Code:

(require 'json)

(defvar trae-test-params
  (with-temp-buffer
    (insert-file-contents (getenv "TRAE_EMACS_TEST"))
    (json-parse-buffer :object-type 'plist :false-object :json-false
                       :null-object nil))
  "What the test asks for.")

(defvar trae-test-notes nil "What happened, newest first.")

(defun trae-test-param (key) "The test parameter KEY." (plist-get trae-test-params key))

(defun trae-test-note (format-string &rest args)
  "Record a note made of FORMAT-STRING and ARGS."
  (push (apply #'format format-string args) trae-test-notes))

(defun trae-test-finish (ok)
  "Write the notes (and the buffer text when OK), then exit."
  (with-temp-file (trae-test-param :notes)
    (insert (string-join (reverse trae-test-notes) "\n")))
  (kill-emacs (if ok 0 1)))

(defun trae-test-wait (what predicate)
  "Process output until PREDICATE holds; fail naming WHAT after the timeout."
  (let ((deadline (+ (float-time) (/ (trae-test-param :timeout_ms) 1000.0))))
    (while (not (funcall predicate))
      (when (> (float-time) deadline)
        (trae-test-note "test: timed out waiting for %s" what)
        (trae-test-finish nil))
      (accept-process-output nil 0.05))))

(dolist (dir (file-expand-wildcards "/usr/share/emacs/site-lisp/elpa/*"))
  (add-to-list 'load-path dir))
(add-to-list 'load-path (trae-test-param :plugin))
(require 'trae)
(require 'python)

(setq print-escape-newlines t)
(setq-default eglot-workspace-configuration (trae-test-param :workspace_configuration))
(setq trae-server-program (append (trae-test-param :cmd) nil)
      trae-settings (trae-test-param :settings)
      eglot-confirm-server-initiated-edits nil)
(add-hook 'trae-command-functions
          (lambda (command result)
            (trae-test-note "answer: %s %s — %s" command (plist-get result :status)
                            (plist-get result :summary))))
(trae-setup)

(find-file (trae-test-param :file))
(defvar trae-test-original (buffer-string) "The text before the command.")
(apply #'eglot (eglot--guess-contact))
(trae-test-wait "trae-lsp to start" #'eglot-current-server)
(trae-test-note "server: %s" (eieio-object-class-name (eglot-current-server)))

(defun trae-test-answered (command)
  "A predicate: the server answered COMMAND."
  (lambda ()
    (seq-find (lambda (note) (string-prefix-p (format "answer: %s " command) note))
              trae-test-notes)))

(defun trae-test-note-overlays ()
  "Note the text each pending change overlay strikes through and adds."
  (dolist (overlay (overlays-in (point-min) (point-max)))
    (when (overlay-get overlay 'trae-hunk-id)
      (trae-test-note "deleted: %S" (buffer-substring-no-properties
                                     (overlay-start overlay) (overlay-end overlay)))
      (trae-test-note "added: %S" (substring-no-properties
                                   (overlay-get overlay 'after-string))))))

(let ((task (trae-test-param :task)))
  (if task
      (funcall (intern (trae-test-param :command)) task)
    (funcall (intern (trae-test-param :command)))))
(trae-test-wait "the command's answer" (trae-test-answered (trae-test-param :server_command)))

(let ((accept (trae-test-param :accept)))
  (when accept
    (trae-test-wait "pending changes" (lambda () trae--pending))
    (trae-test-note-overlays)
    (goto-char (overlay-start (car (overlays-in (point-min) (point-max)))))
    (funcall (intern accept))
    (trae-test-wait "the accept's answer" (trae-test-answered (trae-test-param :accept_command)))
    (trae-test-wait "no pending change left" (lambda () (null trae--pending)))))

(trae-test-wait "the edit" (lambda () (not (equal (buffer-string) trae-test-original))))
(write-region nil nil (trae-test-param :result))
(trae-test-finish t)

;;; emacs_fix.el ends here
