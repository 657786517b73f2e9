/**
 * Files dragged onto or pasted into the element, as a Lit reactive controller: it listens on the
 * host while it is connected, tracks whether a file is being dragged over it (the stage shows a drop
 * target), and hands the files over. Checking and decoding them is the host's business (image-file.ts).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class FileDropController implements ReactiveController {
  /** A file is being dragged over the host. */
  dragging = false;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly onFiles: (files: FileList) => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.host.addEventListener('dragenter', this.onDragOver);
    this.host.addEventListener('dragover', this.onDragOver);
    this.host.addEventListener('dragleave', this.onDragLeave);
    this.host.addEventListener('drop', this.onDrop);
    this.host.addEventListener('paste', this.onPaste);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('dragenter', this.onDragOver);
    this.host.removeEventListener('dragover', this.onDragOver);
    this.host.removeEventListener('dragleave', this.onDragLeave);
    this.host.removeEventListener('drop', this.onDrop);
    this.host.removeEventListener('paste', this.onPaste);
  }

  private setDragging(dragging: boolean): void {
    if (this.dragging === dragging) return;
    this.dragging = dragging;
    this.host.requestUpdate();
  }

  private onDragOver = (event: DragEvent): void => {
    if (!event.dataTransfer?.types.includes('Files')) return;
    // Accepting the drag is what makes the browser deliver the drop here instead of opening the file.
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    this.setDragging(true);
  };

  private onDragLeave = (event: DragEvent): void => {
    if (!(event.relatedTarget instanceof Node) || !this.host.contains(event.relatedTarget)) this.setDragging(false);
  };

  private onDrop = (event: DragEvent): void => {
    if (!event.dataTransfer?.files.length) return;
    event.preventDefault();
    this.setDragging(false);
    this.onFiles(event.dataTransfer.files);
  };

  private onPaste = (event: ClipboardEvent): void => {
    const files = event.clipboardData?.files;
    // Text pastes pass through untouched.
    if (!files?.length) return;
    event.preventDefault();
    this.onFiles(files);
  };
}
