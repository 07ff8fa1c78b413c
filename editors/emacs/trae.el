;;; trae.el --- The trae-lsp coding agent through eglot  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "28.1") (eglot "1.9"))
;; Keywords: tools, languages
;; SPDX-License-Identifier: MIT

;;; Commentary:

;; Starts `trae-lsp' with eglot, sends `trae-settings' as initializationOptions
;; (and as the `trae' section of workspace/configuration), and adds commands for
;; the agent: `trae-fix-file', `trae-add-tests', `trae-run-task', `trae-explain',
;; `trae-review', `trae-cancel', `trae-accept-hunk', `trae-reject-hunk',
;; `trae-accept-all', `trae-reject-all', `trae-run-user-command' and
;; `trae-show-trajectory'.  Changes proposed in review mode
;; (`trae/pendingChanges') are drawn as overlays: the old lines struck through,
;; the new lines shown after them.
;;
;; Setup:
;;   (require 'trae)
;;   (setq trae-settings '(:edits (:mode "review")))
;;   (trae-setup)
;;   (add-hook 'python-mode-hook #'eglot-ensure)
;;
;; eglot 1.9 runs one server per buffer: in `trae-modes' trae-lsp replaces
;; the language's usual server (pylsp, …).

;;; Code:

(require 'cl-lib)
(require 'eglot)
(require 'jsonrpc)
(require 'subr-x)

(defgroup trae nil
  "The trae-lsp coding agent through eglot."
  :group 'tools
  :prefix "trae-")

(defcustom trae-server-program '("trae-lsp")
  "The language server command and its arguments, e.g. (\"trae\" \"lsp\")."
  :type '(repeat string))

(defcustom trae-modes
  '(python-mode js-mode typescript-mode go-mode rust-mode java-mode
    c-mode c++-mode ruby-mode)
  "Major modes whose buffers `trae-setup' hands to trae-lsp."
  :type '(repeat symbol))

(defcustom trae-settings nil
  "The `trae' settings as a plist, sent as initializationOptions.
They also answer workspace/configuration section `trae', unless a `:trae'
section of `eglot-workspace-configuration' (e.g. in .dir-locals.el) does.
Example: (:model \"claude-sonnet-4-6\" :edits (:mode \"apply\")).
Use :json-false for false."
  :type 'plist)

(defface trae-deleted '((t :inherit diff-removed :strike-through t))
  "Lines a pending Trae change deletes.")

(defface trae-added '((t :inherit diff-added))
  "Text a pending Trae change adds.")

(defvar trae-command-functions nil
  "Abnormal hook run with (COMMAND RESULT) when a Trae server command answers.")

(defvar-local trae--pending nil
  "The pending hunks of this buffer (plists :id :range :oldText :newText).")

(defclass trae-eglot-server (eglot-lsp-server) ()
  :documentation "An eglot connection to trae-lsp.")

;;;###autoload
(defun trae-setup ()
  "Start trae-lsp (not the usual server) for `trae-modes' when eglot starts."
  (add-to-list 'eglot-server-programs (cons trae-modes #'trae--contact)))

(defun trae--contact (&optional _interactive)
  "The eglot contact for trae-lsp: our server class and `trae-server-program'."
  (cons 'trae-eglot-server trae-server-program))

(defun trae--settings ()
  "`trae-settings' as a JSON object (an empty one when unset)."
  (or trae-settings (make-hash-table)))

(cl-defmethod eglot-initialization-options ((_server trae-eglot-server))
  "Send `trae-settings' as initializationOptions."
  (trae--settings))

(cl-defmethod eglot-handle-request
  ((_server trae-eglot-server) (_method (eql workspace/configuration))
   &key items)
  "Answer section `trae' from `trae-settings' unless the workspace does."
  (let ((answers (cl-call-next-method)))
    (cl-loop for item across items
             for i from 0
             when (and (equal (plist-get item :section) "trae")
                       (null (aref answers i)))
             do (aset answers i (trae--settings)))
    answers))

(cl-defmethod eglot-handle-request
  ((_server trae-eglot-server) (_method (eql window/showDocument))
   &key uri &allow-other-keys)
  "Open a document the server shows (a run's trajectory)."
  (find-file-other-window (eglot--uri-to-path uri))
  (list :success t))

(cl-defmethod eglot-handle-notification
  ((_server trae-eglot-server) (_method (eql trae/pendingChanges))
   &key uri hunks &allow-other-keys)
  "Draw the pending HUNKS of URI's buffer and say how many there are."
  (when-let ((buffer (find-buffer-visiting (eglot--uri-to-path uri))))
    (with-current-buffer buffer
      (setq trae--pending (append hunks nil))
      (trae--draw-pending)
      (when trae--pending
        (message (concat "Trae: %d pending change(s) in %s "
                         "(M-x trae-accept-all, trae-reject-all, trae-accept-hunk)")
                 (length trae--pending) (buffer-name))))))

(defun trae--draw-pending ()
  "Replace this buffer's Trae overlays by one per pending hunk."
  (save-restriction
    (widen)
    (remove-overlays (point-min) (point-max) 'trae-hunk-id)
    (dolist (hunk trae--pending)
      (trae--draw-hunk hunk))))

(defun trae--draw-hunk (hunk)
  "One overlay for HUNK: old text struck through, new text shown after it."
  (let* ((region (eglot--range-region (plist-get hunk :range)))
         (overlay (make-overlay (car region) (cdr region)))
         (old (plist-get hunk :oldText))
         (new (plist-get hunk :newText)))
    (overlay-put overlay 'trae-hunk-id (plist-get hunk :id))
    (overlay-put overlay 'face 'trae-deleted)
    (overlay-put overlay 'help-echo
                 "Trae: pending change (trae-accept-hunk / trae-reject-hunk)")
    (unless (string-empty-p new)
      (overlay-put overlay
                   (if (string-empty-p old) 'before-string 'after-string)
                   (propertize (if (or (string-empty-p old)
                                       (string-suffix-p "\n" old))
                                   new
                                 (concat "\n" new))
                               'face 'trae-added)))))

(defun trae--server ()
  "The trae-lsp connection of this buffer, or an error saying how to get one."
  (let ((server (eglot-current-server)))
    (unless (cl-typep server 'trae-eglot-server)
      (user-error (concat "Trae: trae-lsp is not managing this buffer; "
                          "call `trae-setup', then M-x eglot")))
    server))

(defun trae-execute (command &optional arguments)
  "Run the server COMMAND for this buffer with ARGUMENTS (a plist) and its URI.
Does not wait: the answer is reported and passed to `trae-command-functions'."
  (let ((server (trae--server))
        (args (append (list :uri (plist-get (eglot--TextDocumentIdentifier) :uri))
                      arguments)))
    (jsonrpc-async-request
     server :workspace/executeCommand
     (list :command command :arguments (vector args))
     :success-fn (lambda (result) (trae--report command result))
     :error-fn (lambda (error) (trae--report command error))
     :timeout nil)))

(defun trae--report (command result)
  "Tell the user how COMMAND ended and run `trae-command-functions'."
  (cond ((plist-get result :code)
         (message "Trae: %s failed: %s" command (plist-get result :message)))
        ((plist-get result :status)
         (message "Trae: %s %s — %s" command (plist-get result :status)
                  (or (plist-get result :summary) ""))))
  (run-hook-with-args 'trae-command-functions command result))

(defun trae--region-arguments ()
  "The active region as a `:range' argument, or nil."
  (when (use-region-p)
    (list :range (list :start (eglot--pos-to-lsp-position (region-beginning))
                       :end (eglot--pos-to-lsp-position (region-end))))))

(defmacro trae--define-command (name command doc &optional focused)
  "Define NAME, a command running server COMMAND on the buffer, with DOC.
When FOCUSED, the active region is sent as the part of the file to work on."
  `(defun ,name ()
     ,doc
     (interactive)
     (trae-execute ,command ,(when focused '(trae--region-arguments)))))

(trae--define-command trae-fix-file "trae.fixFile"
  "Let the agent fix this file (or the region)." t)
(trae--define-command trae-add-tests "trae.addTests"
  "Let the agent write tests for this file (or the region)." t)
(trae--define-command trae-explain "trae.explain"
  "Let the agent explain this file (or the region)." t)
(trae--define-command trae-review "trae.review"
  "Review this file now (on-save suggestions).")
(trae--define-command trae-cancel "trae.cancel"
  "Cancel the agent run of this file.")
(trae--define-command trae-accept-all "trae.acceptAll"
  "Apply every pending change of this file.")
(trae--define-command trae-reject-all "trae.rejectAll"
  "Drop every pending change of this file.")
(trae--define-command trae-show-trajectory "trae.showTrajectory"
  "Open the last run's recorded trajectory.")

(defun trae-run-task (task)
  "Let the agent do TASK on this file (focused on the region if active)."
  (interactive "sTrae task: ")
  (trae-execute "trae.runTask" (append (list :task task) (trae--region-arguments))))

(defun trae-run-user-command (name)
  "Run the `:commands' entry of `trae-settings' called NAME."
  (interactive
   (list (completing-read "Trae command: "
                          (mapcar (lambda (command) (plist-get command :name))
                                  (append (plist-get trae-settings :commands)
                                          nil))
                          nil t)))
  (trae-execute "trae.userCommand" (list :name name)))

(defun trae--hunk-at-point ()
  "The id of the pending hunk on this line, or an error.
An insertion (an empty hunk) is on the line it is inserted before."
  (let ((line (line-beginning-position)))
    (or (cl-some (lambda (overlay)
                   (let ((start (overlay-start overlay))
                         (end (overlay-end overlay)))
                     (and (<= start line) (or (< line end) (= start end line))
                          (overlay-get overlay 'trae-hunk-id))))
                 (overlays-in (point-min) (point-max)))
        (user-error "Trae: no pending change on this line"))))

(defun trae-accept-hunk ()
  "Apply the pending change at point."
  (interactive)
  (trae-execute "trae.acceptHunk" (list :hunkId (trae--hunk-at-point))))

(defun trae-reject-hunk ()
  "Drop the pending change at point."
  (interactive)
  (trae-execute "trae.rejectHunk" (list :hunkId (trae--hunk-at-point))))

(provide 'trae)
;;; trae.el ends here
