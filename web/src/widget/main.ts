// The embeddable gallery: importing the component defines <photonix-gallery> (Shadow DOM,
// styles inside it). Built on its own by vite.widget.config.ts into /embed/v1/.
import './Gallery.svelte';
